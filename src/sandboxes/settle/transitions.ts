/**
 * The payment request state machine (settle.md §5 and §10) as functions that check a trigger
 * against the current state and, when it is legal, change the record. They know nothing about
 * HTTP, timers or callbacks: the service decides what to do with the result.
 */
import { conflict, fieldError, type Refusal } from './errors';
import { STATUS, customerReached, statusName, type MoneyMovement, type PaymentRecord } from './model';
import type { PaymentAction, UpdatePaymentRequest } from './schemas';

export type PaymentEvent =
  | 'payment_authorized'
  | 'payment_captured'
  | 'payment_auth_released'
  | 'payment_aborted_by_customer'
  | 'payment_aborted_by_merchant'
  | 'payment_authorization_renewed'
  | 'payment_authorization_expired'
  | 'payment_request_expired';

export type Transition =
  /** The state changed; `event` is the callback Settle sends for it, null when none is documented. */
  | { kind: 'changed'; event: PaymentEvent | null }
  /** A repeat of something already done: answered 204, nothing changes (settle.md §10). */
  | { kind: 'repeat' }
  | { kind: 'refused'; refusal: Refusal };

const CHANGED_SILENTLY: Transition = { kind: 'changed', event: null };
const REPEAT: Transition = { kind: 'repeat' };

function changed(record: PaymentRecord, now: Date, event: PaymentEvent | null): Transition {
  record.dateModified = now;
  return event === null ? CHANGED_SILENTLY : { kind: 'changed', event };
}

function refused(refusal: Refusal): Transition {
  return { kind: 'refused', refusal };
}

function illegalNow(record: PaymentRecord, action: string): Transition {
  return refused(
    conflict('illegal_state', `Cannot ${action} a payment request with status ${record.status} (${statusName(record.status)})`),
  );
}

type PartialAmount = NonNullable<UpdatePaymentRequest['partial']>;

function sameMovement(entry: MoneyMovement, partial: PartialAmount): boolean {
  return entry.amount === partial.amount && entry.additionalAmount === partial.additionalAmount;
}

/** Checks every partial capture/refund shares: the currency and a non-zero total. */
function checkPartial(record: PaymentRecord, partial: PartialAmount): Transition | null {
  if (partial.currency !== record.request.currency) {
    return refused(fieldError('currency', `Must be ${record.request.currency}, the currency of the payment request`));
  }
  if (partial.amount + partial.additionalAmount === 0) return refused(fieldError('amount', 'Value must be larger than 0'));
  return null;
}

/**
 * Open question 1 (settle.md §11): after a capture, partial or full, the request becomes 2000 OK
 * and whatever was not captured is released (auth amounts drop to 0). One capture per
 * authorization is the conservative reading: an adapter written against it never relies on a
 * second capture, and a later capture (open question 7) is refused with 409.
 */
function capture(record: PaymentRecord, partial: PartialAmount | null, now: Date): Transition {
  if (partial !== null) {
    const invalid = checkPartial(record, partial);
    if (invalid) return invalid;
  }
  if (record.status === STATUS.OK) {
    const [only, ...others] = record.captures;
    const sameCapture =
      only !== undefined && others.length === 0 && (partial === null ? only.id === null : only.id === partial.id && sameMovement(only, partial));
    if (sameCapture) return REPEAT;
    return refused(conflict('already_captured', 'The payment request has already been captured'));
  }
  if (record.status !== STATUS.AUTH) return illegalNow(record, 'capture');
  const entry: MoneyMovement = partial ?? { id: null, amount: record.authAmount, additionalAmount: record.authAdditionalAmount };
  if (entry.amount > record.authAmount || entry.additionalAmount > record.authAdditionalAmount) {
    return refused(conflict('capture_exceeds_authorization', 'Capture amount exceeds the authorized amount'));
  }
  record.captures.push({ id: entry.id, amount: entry.amount, additionalAmount: entry.additionalAmount });
  record.status = STATUS.OK;
  record.authAmount = 0;
  record.authAdditionalAmount = 0;
  record.dateExpires = null;
  return changed(record, now, 'payment_captured');
}

function sum(entries: MoneyMovement[], field: 'amount' | 'additionalAmount'): number {
  return entries.reduce((total, entry) => total + entry[field], 0);
}

/**
 * Refunds need 2000 and never change the status (open question 2: no 2400/2401, and no callback
 * because Settle documents none for refunds). The same refund_id, or a repeated full refund, is
 * idempotent by analogy with capture (settle.md §10).
 */
function refund(record: PaymentRecord, partial: PartialAmount | null, text: string | null, now: Date): Transition {
  if (partial !== null) {
    const invalid = checkPartial(record, partial);
    if (invalid) return invalid;
  }
  if (record.status !== STATUS.OK) return illegalNow(record, 'refund');
  const existing = partial === null ? record.refunds.find((entry) => entry.id === null) : record.refunds.find((entry) => entry.id === partial.id);
  if (existing !== undefined && partial === null) return REPEAT;
  if (existing !== undefined && partial !== null) {
    if (sameMovement(existing, partial)) return REPEAT;
    return refused(conflict('refund_id_conflict', `Refund ${partial.id} was already made with other amounts`));
  }
  const leftAmount = sum(record.captures, 'amount') - sum(record.refunds, 'amount');
  const leftAdditional = sum(record.captures, 'additionalAmount') - sum(record.refunds, 'additionalAmount');
  const entry = partial ?? { id: null, amount: leftAmount, additionalAmount: leftAdditional };
  if (entry.amount > leftAmount || entry.additionalAmount > leftAdditional || entry.amount + entry.additionalAmount === 0) {
    return refused(conflict('refund_exceeds', 'Refund exceeds the captured amount not yet refunded'));
  }
  record.refunds.push({ id: entry.id, amount: entry.amount, additionalAmount: entry.additionalAmount, text });
  return changed(record, now, null);
}

function abort(record: PaymentRecord, now: Date): Transition {
  if (record.status === STATUS.ABORTED && record.endedBy === 'abort') return REPEAT;
  if (record.status !== STATUS.PENDING) return illegalNow(record, 'abort');
  record.status = STATUS.ABORTED;
  record.endedBy = 'abort';
  record.dateExpires = null;
  return changed(record, now, 'payment_aborted_by_merchant');
}

function release(record: PaymentRecord, now: Date): Transition {
  if (record.status === STATUS.ABORTED && record.endedBy === 'release') return REPEAT;
  if (record.status !== STATUS.AUTH) return illegalNow(record, 'release');
  record.status = STATUS.ABORTED;
  record.endedBy = 'release';
  record.authAmount = 0;
  record.authAdditionalAmount = 0;
  record.dateExpires = null;
  return changed(record, now, 'payment_auth_released');
}

/** Each reauth adds one more validity period to the current expiry (settle.md §9). */
function reauth(record: PaymentRecord, now: Date, authValidityMs: number): Transition {
  if (record.status !== STATUS.AUTH || record.dateExpires === null) return illegalNow(record, 'reauth');
  record.dateExpires = new Date(record.dateExpires.getTime() + authValidityMs);
  return changed(record, now, 'payment_authorization_renewed');
}

export function merchantAction(
  record: PaymentRecord,
  action: PaymentAction,
  body: UpdatePaymentRequest,
  now: Date,
  authValidityMs: number,
): Transition {
  switch (action) {
    case 'capture':
      return capture(record, body.partial, now);
    case 'refund':
      return refund(record, body.partial, body.text ?? null, now);
    case 'abort':
      return abort(record, now);
    case 'release':
      return release(record, now);
    case 'reauth':
      return reauth(record, now, authValidityMs);
  }
}

function customerCanAnswer(record: PaymentRecord, action: string): Transition | null {
  if (record.status !== STATUS.PENDING) return illegalNow(record, action);
  if (!customerReached(record)) return refused(conflict('customer_not_reached', 'No customer has scanned the shortlink yet'));
  return null;
}

/** The customer authorizes, optionally tipping when the merchant allowed it (additional_edit). */
export function approve(record: PaymentRecord, additionalAmount: number | undefined, now: Date, authValidityMs: number): Transition {
  const blocked = customerCanAnswer(record, 'approve');
  if (blocked) return blocked;
  if (additionalAmount !== undefined && !record.request.additional_edit) {
    return refused(fieldError('additional_amount', 'The payment request does not allow editing the additional amount'));
  }
  if (additionalAmount !== undefined) record.additionalAmount = additionalAmount;
  record.status = STATUS.AUTH;
  record.authAmount = record.request.amount;
  record.authAdditionalAmount = record.additionalAmount;
  record.dateExpires = new Date(now.getTime() + authValidityMs);
  return changed(record, now, 'payment_authorized');
}

export function reject(record: PaymentRecord, now: Date): Transition {
  const blocked = customerCanAnswer(record, 'reject');
  if (blocked) return blocked;
  record.status = STATUS.REJECTED;
  record.dateExpires = null;
  return changed(record, now, 'payment_aborted_by_customer');
}

/** The current state's `date_expires` has passed: 1003 → 5011, 3008 → 5012. */
export function expire(record: PaymentRecord, now: Date): Transition {
  if (record.status === STATUS.PENDING) {
    record.status = STATUS.REQUEST_EXPIRED;
    return changed(record, now, 'payment_request_expired');
  }
  if (record.status === STATUS.AUTH) {
    record.status = STATUS.AUTH_EXPIRED;
    record.authAmount = 0;
    record.authAdditionalAmount = 0;
    return changed(record, now, 'payment_authorization_expired');
  }
  return illegalNow(record, 'expire');
}
