/**
 * The customer phase: from the QR on the till until the provider has an answer, the cashier cancels,
 * or the customer's time is up. One timer for the whole wait and one poll per provider status; for
 * providers that work in windows, a cashier window that asks to retry or cancel without stopping the
 * poll, because a payment that completes while the cashier decides must still be seen.
 */
import { CancellationScope, condition } from '@temporalio/workflow';
import { PATCHES } from './patches';
import type { ProviderTraits } from './provider-contract';
import type { PaymentLifecycle } from './payment-lifecycle';
import { ProviderPoll } from './provider-poll';
import { flagTimer, quietly, type FlagTimer } from './timers';

/**
 * Started with its timers when the QR is shown; `run` waits until the payment leaves
 * `awaiting_customer`. The timers and the poll are stopped by `stop`, which the workflow calls in the
 * same breath as the next phase's first command: where a cancel lands among the commands is part of
 * every recorded history, so no `await` may come between them.
 */
export class CustomerPhase {
  private readonly timeout: FlagTimer;
  private readonly windowMs: number | null;
  private cashierWindow: FlagTimer | null;
  private readonly poll: ProviderPoll;

  constructor(
    private readonly lifecycle: PaymentLifecycle,
    private readonly traits: ProviderTraits,
  ) {
    const timeoutMs = Date.parse(lifecycle.record.resource.expires_at) - new Date().getTime();
    this.timeout = flagTimer(timeoutMs, 'customer timeout');
    this.windowMs = traits.customer_window_ms ?? null;
    this.cashierWindow = this.windowMs === null ? null : flagTimer(this.windowMs, 'cashier window');
    this.poll = new ProviderPoll(lifecycle, timeoutMs);
    lifecycle.customerPoll = this.poll;
  }

  async run(): Promise<void> {
    const { lifecycle, traits, timeout, windowMs, poll } = this;
    const { record, intents } = lifecycle;
    const tokenWaiting = () => lifecycle.providerStatus === null && intents.customerToken !== null;
    const windowLapsed = () => this.cashierWindow !== null && this.cashierWindow.fired() && record.resource.action_required === null;

    while (record.state === 'awaiting_customer') {
      if (intents.cancel) {
        poll.stop();
        await lifecycle.cancelCharge('cancelled', intents.cancel.reason ?? 'cancelled by the POS');
        break;
      }
      if (timeout.fired()) {
        poll.stop();
        await lifecycle.cancelCharge('expired', 'the customer did not complete in time');
        break;
      }
      if (tokenWaiting() && intents.customerToken !== null) {
        await lifecycle.engageCustomer(intents.customerToken);
        continue;
      }
      if (windowLapsed() && windowMs !== null) {
        lifecycle.windowRestartedByRetry = false;
        record.requireAction('retry_or_cancel', `no payment within ${windowMs / 1000} s: the cashier may retry or cancel`);
      }
      if (intents.retry) {
        intents.retry = false;
        lifecycle.windowRestartedByRetry = true;
        this.cashierWindow?.cancel();
        this.cashierWindow = windowMs === null ? null : flagTimer(windowMs, 'cashier window');
        record.clearAction('the cashier asked the customer to try again');
      }
      const awaitingCustomer = lifecycle.providerStatus === null && intents.customerToken === null && (traits.polls_for_customer ?? false);
      if ((lifecycle.providerStatus !== null || awaitingCustomer) && poll.result === null) {
        poll.start(lifecycle.providerStatus, traits.poll_heartbeat_timeout_ms);
      }
      const wakeupsSeen = intents.wakeups;
      const eventScope = new CancellationScope();
      const event = quietly(eventScope.run(() =>
        condition(() => intents.cancel !== null || timeout.fired() || intents.wakeups !== wakeupsSeen || intents.retry || windowLapsed() || tokenWaiting()),
      )).then(() => null);
      const running = poll.result;
      const outcome = await Promise.race(running ? [running, event] : [event]);
      eventScope.cancel();
      if (outcome?.kind === 'observation') {
        poll.answered();
        await lifecycle.follow(outcome.observation);
      } else if (outcome?.kind === 'customer') {
        poll.answered();
        intents.customerToken ??= outcome.token;
      } else if (intents.wakeups !== wakeupsSeen) {
        // A webhook says something changed: the poll should read now, not at its next tick.
        if (lifecycle.patches.has(PATCHES.wakesNudgeThePoll)) {
          await poll.nudge(traits.poll_interval_ms);
        } else {
          poll.stop();
        }
      }
    }
  }

  stop(): void {
    this.lifecycle.customerPoll = null;
    this.poll.stop();
    this.timeout.cancel();
    this.cashierWindow?.cancel();
  }
}
