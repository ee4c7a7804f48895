/**
 * Which POS commands a payment accepts, as pure functions of what it is now (shared/spec/pos-api.md,
 * "Commands"). The workflow's update validators apply them; the ingress applies the repeat rules to
 * payments whose workflow has already completed. Nothing here touches Temporal, so every rule is
 * unit-tested on plain values.
 *
 * Repeating the very same command returns its first outcome; a different command is refused, never
 * merged into the first nor answered as if it had worked.
 */
import { canonicalJson } from './canonical-json';
import { ID_PATTERN } from './ids';
import { formatMinorUnits } from './money';
import { CANCELLABLE_STATES, ERROR_CODES, REFUNDABLE_STATES, type CreatePaymentRequest, type PaymentResource, type Refund } from './payment';

/** Why a command is refused: a problem `type`, a sentence, and the request field at fault, if one is. */
export interface Refusal {
  type: (typeof ERROR_CODES)[keyof typeof ERROR_CODES];
  message: string;
  field?: { field: string; message: string };
}

const money = (amount: number, currency: string) => `${formatMinorUnits(amount, currency)} ${currency}`;

const invalidState = (message: string): Refusal => ({ type: ERROR_CODES.invalidState, message });

const invalidField = (field: string, rule: string): Refusal => ({
  type: ERROR_CODES.validationFailed,
  message: `${field} ${rule}`,
  field: { field, message: rule },
});

/** Two captures are the same command only with the same amount; `null` ("capture all") equals only `null`. */
export function sameCapture(first: { amount: number | null }, next: { amount: number | null }): boolean {
  return first.amount === next.amount;
}

function describeCapture(amount: number | null, currency: string): string {
  return amount === null ? 'a capture of the whole authorization' : `a capture of ${money(amount, currency)}`;
}

/**
 * A `refund_id` names one refund for good: the same id with the same amount is that refund again,
 * with another amount it is a conflict (the `reason` is a note, not part of the command). Answers
 * why it conflicts, or null for a repeat.
 */
export function refundIdConflict(existing: Refund, amount: number, currency: string): string | null {
  if (existing.amount === amount) return null;
  return `refund_id ${existing.refund_id} already names a refund of ${money(existing.amount, currency)}; a refund of ${money(amount, currency)} needs another refund_id`;
}

/** The create's repeat must be the very same request: the payment id alone does not make it the same payment. */
export function openRefusal(original: CreatePaymentRequest, repeat: CreatePaymentRequest): Refusal | null {
  if (canonicalJson(repeat) === canonicalJson(original)) return null;
  return {
    type: ERROR_CODES.idempotencyConflict,
    message: `pos_id ${original.pos_id} / pos_tid ${original.pos_tid} already identify a payment with a different request`,
  };
}

/** A version the payment has not reached yet would be waited on by nobody. */
export function waitRefusal(knownVersion: number, version: number): Refusal | null {
  if (Number.isSafeInteger(knownVersion) && knownVersion >= 0 && knownVersion <= version) return null;
  return invalidField('wait_for_version', `must be between 0 and the payment's version ${version}`);
}

/** A cancelled payment takes the cancel again (the same outcome); a decided one does not. */
export function cancelRefusal(payment: PaymentResource): Refusal | null {
  if (CANCELLABLE_STATES.includes(payment.state) || payment.state === 'cancelled') return null;
  return invalidState(`a payment in state ${payment.state} cannot be cancelled`);
}

/** What the capture rule needs besides the payment: the commands already accepted. */
export interface CaptureContext {
  accepted: { amount: number | null } | null;
  cancelling: boolean;
}

/**
 * One capture per payment. Its very repeat shares its outcome; a capture of another amount is
 * another command, refused. A capture is refused too once a cancel is releasing the authorization.
 */
export function captureRefusal(payment: PaymentResource, context: CaptureContext, amount: number | null): Refusal | null {
  if (payment.capture_mode !== 'manual') return invalidState('this payment captures automatically (capture_mode auto)');
  if (context.accepted !== null) {
    if (sameCapture(context.accepted, { amount })) return null;
    const first = describeCapture(context.accepted.amount, payment.currency);
    return invalidState(`${first} was already accepted; ${describeCapture(amount, payment.currency)} is a different command`);
  }
  if (payment.state !== 'authorized') return invalidState(`a payment in state ${payment.state} cannot be captured`);
  if (context.cancelling) return invalidState('the payment is being cancelled: its authorization is being released');
  if (amount !== null && (!Number.isSafeInteger(amount) || amount <= 0 || amount > payment.authorized_amount)) {
    return {
      type: ERROR_CODES.validationFailed,
      message: `amount must be an integer between 1 and the authorized ${payment.authorized_amount}`,
      field: { field: 'amount', message: `must be between 1 and ${payment.authorized_amount}` },
    };
  }
  return null;
}

/** What the refund rules need besides the payment. */
export interface RefundContext {
  /** The refund the command's `refund_id` already names, if any. */
  existing: Refund | undefined;
  /** Captured money neither refunded nor promised to a refund in flight. */
  refundable: number;
  windowOpen: boolean;
  refundsPartially: boolean;
}

export interface RefundCommandInput {
  amount: number;
  refund_id: string | null;
  reason: string | null;
}

export function refundRefusal(payment: PaymentResource, context: RefundContext, { amount, refund_id }: RefundCommandInput): Refusal | null {
  if (context.existing) {
    const conflict = refundIdConflict(context.existing, amount, payment.currency);
    return conflict === null ? null : { type: ERROR_CODES.idempotencyConflict, message: conflict };
  }
  if (!REFUNDABLE_STATES.includes(payment.state) || !context.windowOpen) return invalidState(`a payment in state ${payment.state} cannot be refunded`);
  if (refund_id !== null && !ID_PATTERN.test(refund_id)) return invalidField('refund_id', 'must match ^[a-zA-Z0-9_.-]{1,64}$');
  const exceeds = refundExceeds(payment, context.refundable, amount);
  if (exceeds) return exceeds;
  if (!context.refundsPartially && amount !== payment.captured_amount) {
    return {
      type: ERROR_CODES.partialRefundUnsupported,
      message: `${payment.provider} can only refund the whole ${money(payment.captured_amount, payment.currency)} at once`,
    };
  }
  return null;
}

/** Checked again when the refund runs: refunds accepted together reserve their amounts in order. */
export function refundExceeds(payment: PaymentResource, refundable: number, amount: number): Refusal | null {
  if (amount <= refundable) return null;
  return {
    type: ERROR_CODES.refundExceedsCaptured,
    message: `refund of ${money(amount, payment.currency)} exceeds the ${money(refundable, payment.currency)} left to refund`,
  };
}

/** Where the cashier window stands, for the retry rule. */
export interface RetryContext {
  /** The window running now was started by a retry and has not lapsed since. */
  windowRestartedByRetry: boolean;
  cancelling: boolean;
}

/** A lapsed cashier window asks the POS to retry or cancel; only then does a retry start a new window. */
export function retryAsked(payment: PaymentResource): boolean {
  return payment.state === 'awaiting_customer' && payment.action_required === 'retry_or_cancel';
}

/**
 * Retry answers the question a lapsed window asks. Its repeat, while the new window runs and has not
 * lapsed in turn, answers with the payment and starts nothing. A retry nobody asked for is refused.
 */
export function retryRefusal(payment: PaymentResource, context: RetryContext): Refusal | null {
  const repeated = payment.state === 'awaiting_customer' && payment.action_required === null && context.windowRestartedByRetry;
  if (!retryAsked(payment) && !repeated) {
    return invalidState(`retry needs a payment awaiting the customer with action_required retry_or_cancel (it is ${payment.state})`);
  }
  if (context.cancelling) return invalidState('the payment is being cancelled: there is no window to retry');
  return null;
}

/** What the wake rule needs: whether anything waits on the provider, and when the last wake came. */
export interface WakeContext {
  state: PaymentResource['state'];
  customerKnown: boolean;
  now: number;
  lastWakeAt: number;
  /** Wakes closer together than the poll interval are coalesced: the poll reads that often anyway. */
  wakeIntervalMs: number;
  /**
   * No poll runs in `authorized`: payments from 0.6.0 on (authorizedReadsEveryWake) read every wake
   * there, except while a capture or cancel is at the provider, whose answer is its view after it
   * (the webhook is most often the provider's echo of that very call).
   */
  readsEveryWakeWhenAuthorized: boolean;
  settling: boolean;
}

/** Why a verified webhook's wake would change nothing (so it is refused and leaves no trace), or null. */
export function wakeNotNeeded(kind: 'wake' | 'customer_token', context: WakeContext): string | null {
  if (context.state !== 'awaiting_customer' && context.state !== 'authorized') return `the payment is ${context.state}: nothing waits on the provider`;
  if (kind === 'customer_token') return context.customerKnown ? 'the customer is already known' : null;
  if (context.state === 'authorized' && context.readsEveryWakeWhenAuthorized) {
    return context.settling ? 'a capture or cancel is under way: its answer is the provider’s view' : null;
  }
  if (context.now - context.lastWakeAt < context.wakeIntervalMs) return 'woken less than a poll interval ago';
  return null;
}
