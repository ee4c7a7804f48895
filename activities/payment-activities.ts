/**
 * The activities the payment workflow schedules. Each one dispatches to the payment's provider
 * adapter; the only logic here is the heartbeating poll, which is the same for every provider.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { ProviderName } from '../workflows/payment';
import type { PaymentActivities, ProviderPaymentContext } from '../workflows/provider-contract';
import { ProviderUnavailableError } from './http-json';
import type { ProviderAdapter, ProviderModule } from './provider';

export type ProviderRegistry = ReadonlyMap<ProviderName, ProviderModule>;

/**
 * Asks `probe` at the provider's cadence until it answers something, heartbeating in between. A
 * provider hiccup is just a missed poll; cancellation (webhook, cancel, timeout) ends the sleep at once.
 */
async function pollUntil<T>(intervalMs: number, probe: () => Promise<T | null>): Promise<T> {
  const context = Context.current();
  for (;;) {
    try {
      const found = await probe();
      if (found !== null) return found;
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      context.log.warn('poll failed, will poll again', { error: error.message });
    }
    context.heartbeat();
    await context.sleep(intervalMs);
  }
}

export function createPaymentActivities(providers: ProviderRegistry): PaymentActivities {
  const adapterFor = (payment: ProviderPaymentContext): ProviderAdapter => {
    const module = providers.get(payment.provider);
    if (!module) throw ApplicationFailure.nonRetryable(`provider ${payment.provider} is not configured on this worker`, 'configuration_error');
    return module.adapter;
  };

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

    /** Like the change poll, but before any charge exists: until the provider sees a customer. */
    async awaitCustomer(payment, reference) {
      const adapter = adapterFor(payment);
      if (!adapter.findCustomer) throw ApplicationFailure.nonRetryable(`provider ${payment.provider} cannot be polled for customers`, 'unsupported');
      const find = adapter.findCustomer.bind(adapter);
      return pollUntil(adapter.pollIntervalMs, () => find(payment, reference));
    },

    /** One activity for the whole wait: it returns only when the status moved, so waiting adds no history. */
    async awaitProviderChange(payment, reference, since) {
      const adapter = adapterFor(payment);
      return pollUntil(adapter.pollIntervalMs, async () => {
        const observation = await adapter.observe(payment, reference);
        return observation.status !== since ? observation : null;
      });
    },
  };
}
