/**
 * The one poll a waiting payment runs at a time: for the customer's arrival before a provider charge
 * exists, for a status change after. It is one heartbeating activity however long the customer
 * takes, so waiting costs O(1) history events; a webhook nudges it instead of restarting it.
 */
import { CancellationScope, proxySinks, type Sinks } from '@temporalio/workflow';
import { PATCHES } from './patches';
import { local, waitingCall } from './provider-calls';
import type { ProviderObservation, ProviderStatus } from './provider-contract';
import type { PaymentLifecycle } from './payment-lifecycle';
import { quietly } from './timers';

export type PollOutcome = { kind: 'observation'; observation: ProviderObservation } | { kind: 'customer'; token: string };

/**
 * Into the worker process, writing no history (and never called while a history replays): `nudge`
 * cuts short the sleep of the payment's poll when it runs in that process, as `nudgePoll` does.
 */
export interface PollNudgeSinks extends Sinks {
  polls: { nudge(paymentId: string): void };
}

const { polls } = proxySinks<PollNudgeSinks>();

export class ProviderPoll {
  private running: { scope: CancellationScope; result: Promise<PollOutcome | null> } | null = null;
  private lastNudgeAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly lifecycle: PaymentLifecycle,
    /** How long the customer may take: the poll's own deadline is derived from it. */
    private readonly timeoutMs: number,
  ) {}

  /** A poll activity was started and has not answered or been stopped. */
  get isRunning(): boolean {
    return this.running !== null;
  }

  /** The running poll's answer (null when it was stopped), or null when none runs. */
  get result(): Promise<PollOutcome | null> | null {
    return this.running?.result ?? null;
  }

  /** Starts a poll for a change from `since`, or for a customer when no charge exists yet (`null`). */
  start(since: ProviderStatus | null, heartbeatTimeoutMs: number): void {
    const { payment } = this.lifecycle;
    const reference = this.lifecycle.reference();
    const scope = new CancellationScope();
    const poller = waitingCall(since === null ? 'poll provider until a customer arrives' : 'poll provider until its status changes', this.timeoutMs, heartbeatTimeoutMs, this.lifecycle.patches.has(PATCHES.pollsOnWaitsQueue));
    const run: () => Promise<PollOutcome> = since === null
      ? async () => ({ kind: 'customer', token: await poller.awaitCustomer(payment, reference) })
      : async () => ({ kind: 'observation', observation: await poller.awaitProviderChange(payment, reference, since) });
    this.running = { scope, result: quietly(scope.run(run)) };
  }

  /** The poll answered: it is over, and the next one starts from what it said. */
  answered(): void {
    this.running = null;
  }

  stop(): void {
    this.running?.scope.cancel();
    this.running = null;
  }

  /**
   * Asks the running poll to read now. Wakes are coalesced to one nudge per poll interval: a burst
   * of webhooks costs one marker and at most one early read, and the poll keeps its slot.
   */
  async nudge(pollIntervalMs: number): Promise<void> {
    const now = new Date().getTime();
    if (this.running === null || now - this.lastNudgeAt < pollIntervalMs) return;
    this.lastNudgeAt = now;
    await local.nudgePoll(this.lifecycle.payment.payment_id);
  }

  /**
   * Asks the running poll to read now, from a wake's validator: a sink call, which a validator may
   * make because it changes nothing in the workflow and writes nothing to its history. A burst of
   * webhooks costs at most two reads: one ends the poll's sleep, the next is kept for its next one.
   */
  nudgeFromValidator(): void {
    polls.nudge(this.lifecycle.payment.payment_id);
  }
}
