/**
 * The activities the payment workflow schedules. Each one dispatches to the payment's provider
 * adapter; the only logic here is the heartbeating poll, which is the same for every provider.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ProviderName } from '../workflows/payment';
import type { LocalPaymentActivities, PaymentActivities, ProviderPaymentContext } from '../workflows/provider-contract';
import { ProviderUnavailableError } from './http-json';
import type { PollNudges } from './poll-nudges';
import type { ProviderAdapter, ProviderModule } from './provider';

export type ProviderRegistry = ReadonlyMap<ProviderName, ProviderModule>;

/**
 * Asks `probe` at the provider's cadence until it answers something, heartbeating in between. The
 * first read waits one interval too: a poll starts right after the workflow saw the provider's
 * answer, so reading at once would only repeat it. A provider hiccup is just a missed poll;
 * cancellation (cancel, timeout) ends the sleep at once, and a nudge (a webhook) ends it early so
 * the next read happens now.
 */
async function pollUntil<T>(intervalMs: number, nudges: PollNudges, paymentId: string, probe: () => Promise<T | null>): Promise<T> {
  const context = Context.current();
  for (;;) {
    context.heartbeat();
    const nudge = nudges.register(paymentId);
    try {
      await Promise.race([context.sleep(intervalMs), nudge.nudged]);
    } finally {
      nudge.release();
    }
    try {
      const found = await probe();
      if (found !== null) return found;
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      context.log.warn('poll failed, will poll again', { error: error.message });
    }
  }
}

/** The provider's adapter for a payment; a provider this worker was not configured for is a configuration error. */
function adapterLookup(providers: ProviderRegistry): (payment: ProviderPaymentContext) => ProviderAdapter {
  return (payment) => {
    const module = providers.get(payment.provider);
    if (!module) throw ApplicationFailure.nonRetryable(`provider ${payment.provider} is not configured on this worker`, 'configuration_error');
    return module.adapter;
  };
}

/** The waits: polls that last while a customer decides. They run on the waits task queue. */
export type WaitActivities = Pick<PaymentActivities, 'awaitCustomer' | 'awaitProviderChange'>;

/** `nudges` is shared with the local activities of the same process (see `createLocalPaymentActivities`). */
export function createWaitActivities(providers: ProviderRegistry, nudges: PollNudges): WaitActivities {
  const adapterFor = adapterLookup(providers);
  return {
    /** Like the change poll, but before any charge exists: until the provider sees a customer. */
    async awaitCustomer(payment, reference) {
      const adapter = adapterFor(payment);
      if (!adapter.findCustomer) throw ApplicationFailure.nonRetryable(`provider ${payment.provider} cannot be polled for customers`, 'unsupported');
      const find = adapter.findCustomer.bind(adapter);
      return pollUntil(adapter.pollIntervalMs, nudges, payment.payment_id, () => find(payment, reference));
    },

    /** One activity for the whole wait: it returns only when the status moved, so waiting adds no history. */
    async awaitProviderChange(payment, reference, since) {
      const adapter = adapterFor(payment);
      return pollUntil(adapter.pollIntervalMs, nudges, payment.payment_id, async () => {
        const observation = await adapter.observe(payment, reference);
        return observation.status !== since ? observation : null;
      });
    },
  };
}

/**
 * The lifecycle activities, plus the waits: a payment started before waits had their own task queue
 * still schedules its poll on the payments queue when it replays (see the workflow's patches).
 */
export function createPaymentActivities(providers: ProviderRegistry, nudges: PollNudges): PaymentActivities {
  const adapterFor = adapterLookup(providers);
  return {
    preparePayment: (payment) => adapterFor(payment).prepare(payment),
    engageCustomer: (payment, reference, token) => adapterFor(payment).engage(payment, reference, token),
    observePayment: (payment, reference) => adapterFor(payment).observe(payment, reference),
    capturePayment: (payment, reference, amount) => adapterFor(payment).capture(payment, reference, amount),
    cancelAtProvider: (payment, reference) => adapterFor(payment).cancel(payment, reference),
    renewAuthorization: (payment, reference) => adapterFor(payment).renewAuthorization(payment, reference),
    refundPayment: (payment, reference, refund) => adapterFor(payment).refund(payment, reference, refund),
    confirmCapture: async (payment, reference) => {
      await adapterFor(payment).confirmCapture?.(payment, reference);
    },
    finishAtProvider: async (payment, reference) => {
      await adapterFor(payment).finish?.(payment, reference);
    },
    ...createWaitActivities(providers, nudges),
  };
}

export function createLocalPaymentActivities(nudges: PollNudges): LocalPaymentActivities {
  return {
    nudgePoll: (paymentId) => Promise.resolve(nudges.nudge(paymentId)),
  };
}
