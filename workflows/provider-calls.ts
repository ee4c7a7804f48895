/**
 * How the payment workflow calls its provider: which activities, on which task queue, with which
 * timeouts and retries, and what a failed call means for the payment.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import type { Failure } from './payment';
import type { LocalPaymentActivities, PaymentActivities } from './provider-contract';
import { waitsTaskQueue } from './task-queues';

/** Provider calls: short, retried with backoff; 4xx-like answers come back as non-retryable failures. */
const PROVIDER_CALL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 6 },
};
/** Calls that settle money already promised (capture, cancel, refund) keep trying until the provider answers. */
const SETTLING_CALL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
};

/** A provider call that may give up: its `summary` is what the Web UI shows for the activity. */
export function providerCall(summary: string): PaymentActivities {
  return proxyActivities<PaymentActivities>({ ...PROVIDER_CALL, summary });
}

/** A call that settles money already promised: it retries until the provider answers. */
export function settlingCall(summary: string): PaymentActivities {
  return proxyActivities<PaymentActivities>({ ...SETTLING_CALL, summary });
}

/**
 * A wait: one heartbeating activity for as long as the customer may take (`timeoutMs`), on the
 * waits task queue so that waiting customers never hold the lifecycle's activity slots (payments
 * from before that change, `onWaitsQueue` false, keep the lifecycle's queue).
 */
export function waitingCall(summary: string, timeoutMs: number, heartbeatTimeoutMs: number, onWaitsQueue: boolean): PaymentActivities {
  return proxyActivities<PaymentActivities>({
    summary,
    ...(onWaitsQueue ? { taskQueue: waitsTaskQueue(workflowInfo().taskQueue) } : {}),
    startToCloseTimeout: Math.max(timeoutMs, 0) + 60_000,
    heartbeatTimeout: heartbeatTimeoutMs,
    retry: { initialInterval: '1s', maximumInterval: '10s' },
  });
}

/** Runs in the worker that runs the workflow task: cuts short the sleep of a poll running there. */
export const local = proxyLocalActivities<LocalPaymentActivities>({ startToCloseTimeout: '5s', retry: { maximumAttempts: 1 } });

/** The provider's statement, or `provider_unavailable` when retries ran out without one. */
export function failureOf(error: unknown): Failure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    return { code: cause.type ?? 'provider_error', message: cause.message };
  }
  return { code: 'provider_unavailable', message: cause instanceof Error ? cause.message : 'the provider did not answer' };
}
