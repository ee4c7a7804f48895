/**
 * The worker process's business metrics (Prometheus, prom-client): what payments did, how providers
 * answer, whether waits keep their cadence and how many wait slots are in use. Fed by the payment
 * activities (ActivityMetrics) and by the payment workflow's events (a sink, called only for live
 * changes, never on replay). Labels are bounded: provider, adapter operation, outcome, payment state.
 */
import type { InjectedSinks } from '@temporalio/worker';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { ActivityMetrics, ProviderCallOutcome } from '../../activities/activity-metrics';
import { FINAL_STATES, type PaymentState } from '../../workflows/payment';
import type { PaymentEventSinks } from '../../workflows/payment-events';

/** The states in which a payment's outcome is known: paid, or over without money. */
const OUTCOME_STATES: readonly PaymentState[] = ['captured', ...FINAL_STATES];

export class WorkerMetrics implements ActivityMetrics {
  readonly registry = new Registry();
  private readonly started = new Counter({
    name: 'pos_payments_started_total',
    help: 'Payments started, by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly finished = new Counter({
    name: 'pos_payments_finished_total',
    help: 'Payments that reached their outcome (captured, cancelled, rejected, expired, failed), by provider and state',
    labelNames: ['provider', 'state'] as const,
    registers: [this.registry],
  });
  private readonly refunds = new Counter({
    name: 'pos_refunds_total',
    help: 'Refunds settled, by provider and outcome (succeeded, failed)',
    labelNames: ['provider', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly providerCalls = new Histogram({
    name: 'pos_provider_call_duration_seconds',
    help: 'Provider adapter calls (one or more HTTP requests) by provider, operation and outcome (ok, unavailable, refused, error)',
    labelNames: ['provider', 'operation', 'outcome'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly pollLagSeconds = new Histogram({
    name: 'pos_poll_cadence_lag_seconds',
    help: 'How much later than its cadence a wait read the provider, by provider',
    labelNames: ['provider'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  private readonly waits = new Gauge({
    name: 'pos_waits_in_progress',
    help: 'Waits (polls on the waits task queue) running in this process, by provider',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly pollNudges = new Counter({
    name: 'pos_poll_nudges_total',
    help: 'Webhooks that asked a payment\'s poll to read now: woke (a poll sleeping in this process) or kept (for the poll\'s next sleep: it was reading, starting, or runs in another process)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly waitSlots = new Gauge({
    name: 'pos_wait_slots',
    help: 'Waits this process runs at once at most (WORKER_WAIT_SLOTS)',
    registers: [this.registry],
  });

  constructor(waitSlots: number) {
    this.waitSlots.set(waitSlots);
    collectDefaultMetrics({ register: this.registry });
  }

  providerCall(provider: string, operation: string, outcome: ProviderCallOutcome, seconds: number): void {
    this.providerCalls.observe({ provider, operation, outcome }, seconds);
  }

  pollNudged(woke: boolean): void {
    this.pollNudges.inc({ outcome: woke ? 'woke' : 'kept' });
  }

  pollLag(provider: string, seconds: number): void {
    this.pollLagSeconds.observe({ provider }, seconds);
  }

  waitStarted(provider: string): () => void {
    this.waits.inc({ provider });
    return () => this.waits.dec({ provider });
  }

  /** The workflow's events (workflows/payment-events.ts) as counters. */
  sinks(): InjectedSinks<PaymentEventSinks> {
    return {
      paymentEvents: {
        started: { fn: (_info, provider) => this.started.inc({ provider }) },
        stateChanged: {
          fn: (_info, provider, _from, to) => {
            if (OUTCOME_STATES.includes(to)) this.finished.inc({ provider, state: to });
          },
        },
        refundSettled: { fn: (_info, provider, outcome) => this.refunds.inc({ provider, outcome }) },
      },
    };
  }
}
