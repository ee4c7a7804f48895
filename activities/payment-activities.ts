/**
 * The activities the payment workflow schedules. Each one dispatches to the payment's provider
 * adapter; the only logic here is the heartbeating poll, which is the same for every provider.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { InjectedSinks } from '@temporalio/worker';
import type { LocalPaymentActivities, PaymentActivities, ProviderPaymentContext, ProviderTraits } from '../workflows/provider-contract';
import type { PollNudgeSinks } from '../workflows/provider-poll';
import { meteredAdapter, type ActivityMetrics } from './activity-metrics';
import { ProviderUnavailableError } from './http-json';
import { pause } from './pause';
import { nextReadDue, pacedHeartbeat } from './poll-pacing';
import type { PollNudges } from './poll-nudges';
import type { ProviderAdapter } from './provider';
import type { ProviderWorker } from './provider-plugin';

/** A configured provider on the worker: its plugin's worker side, and the traits derived from its adapter. */
export interface ConfiguredWorker extends ProviderWorker {
  traits: ProviderTraits;
}

/** The providers this worker serves, by name. */
export type ProviderRegistry = ReadonlyMap<string, ConfiguredWorker>;

/**
 * Asks `probe` at the provider's cadence until it answers something, heartbeating in between. The
 * first read waits one interval too: a poll starts right after the workflow saw the provider's
 * answer, so reading at once would only repeat it. Reads keep the cadence's rate (`nextReadDue`);
 * a provider hiccup is just a missed read; cancellation (cancel, timeout) ends the wait at once, and
 * a nudge (a webhook) ends it early so the next read happens now. How late each read is against
 * its tick (a late timer) is reported, and the poll counts as a wait in use while it runs.
 *
 * Heartbeats go at most every eighth of the heartbeat timeout (`pacedHeartbeat`), so Temporal hears
 * from a poll at least every eighth of the timeout + interval + PROVIDER_REQUEST_TIMEOUT_MS: 17.5 s
 * for Tabby's 5 s cadence with the defaults, against a 20 s timeout (it was interval + request timeout).
 */
async function pollUntil<T>(payment: ProviderPaymentContext, intervalMs: number, nudges: PollNudges, metrics: ActivityMetrics, probe: () => Promise<T | null>): Promise<T> {
  const context = Context.current();
  const heartbeat = pacedHeartbeat(() => context.heartbeat(), (context.info.heartbeatTimeoutMs ?? 0) / 8);
  const waitEnded = metrics.waitStarted(payment.provider);
  try {
    let due = performance.now() + intervalMs;
    for (;;) {
      heartbeat();
      const nudge = nudges.register(payment.payment_id);
      try {
        await pause(context.cancellationSignal, Math.max(0, due - performance.now()), nudge.nudged);
      } finally {
        nudge.release();
      }
      const began = performance.now();
      metrics.pollLag(payment.provider, Math.max(0, began - due) / 1000);
      const found = await readOnce(context, probe);
      if (found !== null) return found;
      due = nextReadDue(due, began, intervalMs, performance.now());
    }
  } finally {
    waitEnded();
  }
}

/** One poll read; a provider hiccup is only a missed read (null). */
async function readOnce<T>(context: Context, probe: () => Promise<T | null>): Promise<T | null> {
  try {
    return await probe();
  } catch (error) {
    if (!(error instanceof ProviderUnavailableError)) throw error;
    context.log.warn('poll failed, will poll again', { error: error.message });
    return null;
  }
}

/**
 * The provider's adapter for a payment, every call timed for `metrics`; a provider this worker was
 * not configured for is a configuration error.
 */
function adapterLookup(providers: ProviderRegistry, metrics: ActivityMetrics): (payment: ProviderPaymentContext) => ProviderAdapter {
  const metered = new Map([...providers].map(([provider, worker]) => [provider, meteredAdapter(provider, worker.adapter, metrics)]));
  return (payment) => {
    const adapter = metered.get(payment.provider);
    if (!adapter) throw ApplicationFailure.nonRetryable(`provider ${payment.provider} is not configured on this worker`, 'configuration_error');
    return adapter;
  };
}

/**
 * An optional adapter method (bound), or a non-retryable failure when the provider lacks it: its
 * traits say so, so the workflow never asks, and a call anyway is a bug that no retry mends.
 */
function capability<A extends unknown[], R>(method: ((...args: A) => R) | undefined, payment: ProviderPaymentContext, what: string): (...args: A) => R {
  if (method === undefined) throw ApplicationFailure.nonRetryable(`provider ${payment.provider} cannot ${what}`, 'unsupported');
  return method;
}

/** The waits: polls that last while a customer decides. They run on the waits task queue. */
export type WaitActivities = Pick<PaymentActivities, 'awaitCustomer' | 'awaitProviderChange'>;

/** `nudges` is shared with the local activities of the same process (see `createLocalPaymentActivities`). */
export function createWaitActivities(providers: ProviderRegistry, nudges: PollNudges, metrics: ActivityMetrics): WaitActivities {
  const adapterFor = adapterLookup(providers, metrics);
  return {
    /** Like the change poll, but before any charge exists: until the provider sees a customer. */
    async awaitCustomer(payment, reference) {
      const adapter = adapterFor(payment);
      const find = capability(adapter.findCustomer?.bind(adapter), payment, 'be polled for customers');
      return pollUntil(payment, adapter.pollIntervalMs, nudges, metrics, () => find(payment, reference));
    },

    /** One activity for the whole wait: it returns only when the status moved, so waiting adds no history. */
    async awaitProviderChange(payment, reference, since) {
      const adapter = adapterFor(payment);
      return pollUntil(payment, adapter.pollIntervalMs, nudges, metrics, async () => {
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
export function createPaymentActivities(providers: ProviderRegistry, nudges: PollNudges, metrics: ActivityMetrics): PaymentActivities {
  const adapterFor = adapterLookup(providers, metrics);
  return {
    preparePayment: async (payment) => {
      const prepared = await adapterFor(payment).prepare(payment);
      // Only `ready` carries traits; `providers` has the payment's provider, or adapterFor threw.
      return prepared.kind === 'ready' ? { ...prepared, traits: providers.get(payment.provider)!.traits } : prepared;
    },
    engageCustomer: (payment, reference, token) => {
      const adapter = adapterFor(payment);
      return capability(adapter.engage?.bind(adapter), payment, 'identify customers by a token')(payment, reference, token);
    },
    observePayment: (payment, reference) => adapterFor(payment).observe(payment, reference),
    capturePayment: (payment, reference, amount) => {
      const adapter = adapterFor(payment);
      return capability(adapter.capture?.bind(adapter), payment, 'capture')(payment, reference, amount);
    },
    cancelAtProvider: (payment, reference) => adapterFor(payment).cancel(payment, reference),
    renewAuthorization: (payment, reference) => {
      const adapter = adapterFor(payment);
      return capability(adapter.renewAuthorization?.bind(adapter), payment, 'renew authorizations')(payment, reference);
    },
    refundPayment: (payment, reference, refund) => adapterFor(payment).refund(payment, reference, refund),
    confirmCapture: async (payment, reference) => {
      await adapterFor(payment).confirmCapture?.(payment, reference);
    },
    finishAtProvider: async (payment, reference) => {
      await adapterFor(payment).finish?.(payment, reference);
    },
    ...createWaitActivities(providers, nudges, metrics),
  };
}

export function createLocalPaymentActivities(nudges: PollNudges, metrics: ActivityMetrics): LocalPaymentActivities {
  return {
    nudgePoll: (paymentId) => Promise.resolve(nudgePoll(nudges, metrics, paymentId)),
  };
}

/** What a wake's validator nudges through (payments from 0.6.0 on): the same registry, with no history. */
export function createPollNudgeSinks(nudges: PollNudges, metrics: ActivityMetrics): InjectedSinks<PollNudgeSinks> {
  return { polls: { nudge: { fn: (_info, paymentId) => void nudgePoll(nudges, metrics, paymentId), callDuringReplay: false } } };
}

function nudgePoll(nudges: PollNudges, metrics: ActivityMetrics, paymentId: string): boolean {
  const woke = nudges.nudge(paymentId);
  metrics.pollNudged(woke);
  return woke;
}
