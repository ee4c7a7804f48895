/**
 * What the outside world asked of a payment that the lifecycle has not acted on yet. Handlers write
 * here and nowhere else; the phases read it and act, one step at a time. Keeping intent apart from
 * effect is what lets a cancel that arrives during a capture wait its turn instead of racing it.
 */
import { CANCELLABLE_STATES, type PaymentState } from './payment';
import type { ProviderSignal } from './provider-contract';

export class PaymentIntents {
  /** The create update has arrived (its first caller is told `created: true`, repeats `false`). */
  opened = false;
  cancel: { reason: string | null } | null = null;
  capture: { amount: number | null } | null = null;
  /** The customer who identified themselves at the provider (kept once: a second scan is the same customer). */
  customerToken: string | null = null;
  /** The cashier asked for another customer window. */
  retry = false;
  /** Reasons to look at the provider again; a phase compares it with the count it last saw. */
  wakeups = 0;

  /** Only a payment that can still be cancelled takes a cancel, and only its first reason counts. */
  requestCancel(reason: string | null, state: PaymentState): void {
    if (!this.cancel && CANCELLABLE_STATES.includes(state)) this.cancel = { reason };
  }

  /** Captures the provider refused: each one answers the capture commands waiting for it. */
  refusedCaptures = 0;

  /** The first capture is the command; the validator refused any different one. */
  requestCapture(amount: number | null): void {
    this.capture ??= { amount };
  }

  /** The provider refused the capture and the authorization stands: the command is answered, the next one is new. */
  captureRefused(): void {
    this.capture = null;
    this.refusedCaptures += 1;
  }

  receive(signal: ProviderSignal): void {
    if (signal.kind === 'customer_token' && this.customerToken === null) this.customerToken = signal.token;
    this.wakeups += 1;
  }
}
