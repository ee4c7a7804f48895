/**
 * The payment state machine (tabby.md §5) as functions that check a trigger against the current
 * state and, when it is legal, change the record. They know nothing about HTTP, timers or
 * webhooks: the service decides what to log and notify.
 */
import { badData, type Refusal } from './errors';
import { newId } from './ids';
import { sumOf, type Capture, type PaymentRecord, type Refund } from './model';
import { toMinorUnits } from './money';
import type { CaptureRequest, RefundRequest } from './schemas';

/** The checkout's end: only an unfinished (CREATED) payment has one. False when it already ended. */
export function finishCheckout(record: PaymentRecord, to: 'AUTHORIZED' | 'REJECTED' | 'EXPIRED'): boolean {
  if (record.status !== 'CREATED') return false;
  record.status = to;
  return true;
}

/** A capture or refund already made with this reference_id: nothing new happens (tabby.md §9). */
export const REPEAT = 'repeat';

/** An amount field of a capture/refund, in the payment's currency. */
function amountOf(record: PaymentRecord, field: string, value: string | undefined, positive: boolean): number | Refusal {
  if (value === undefined) return 0;
  const minor = toMinorUnits(value, record.currency);
  if (minor === null || (positive && minor === 0)) {
    const decimals = record.currency === 'KWD' ? 3 : 2;
    return badData(`${field}: must be a ${positive ? 'positive ' : ''}decimal string with up to ${decimals} decimals for ${record.currency}`);
  }
  return minor;
}

/**
 * Open question 6: the same reference_id with a different amount is refused (400) rather than
 * answered as a repeat, so an adapter that reuses a key by mistake finds out at once.
 */
function repeatOf(entries: readonly (Capture | Refund)[], referenceId: string, amount: number, what: string): typeof REPEAT | Refusal | null {
  const existing = entries.find((entry) => entry.referenceId === referenceId);
  if (existing === undefined) return null;
  if (existing.amount === amount) return REPEAT;
  return badData(`a ${what} with reference_id ${referenceId} was already made with a different amount`);
}

/** Only AUTHORIZED payments, at most what is still uncaptured (tabby.md §4.4). */
export function capture(record: PaymentRecord, body: CaptureRequest, now: Date): Capture | typeof REPEAT | Refusal {
  const amount = amountOf(record, 'amount', body.amount, true);
  if (typeof amount !== 'number') return amount;
  const extras = { tax_amount: 0, shipping_amount: 0, discount_amount: 0 };
  for (const field of ['tax_amount', 'shipping_amount', 'discount_amount'] as const) {
    const parsed = amountOf(record, field, body[field], false);
    if (typeof parsed !== 'number') return parsed;
    extras[field] = parsed;
  }
  const repeat = repeatOf(record.captures, body.reference_id, amount, 'capture');
  if (repeat !== null) return repeat;
  if (record.status !== 'AUTHORIZED') return badData('could not capture not authorized payments');
  if (amount > uncaptured(record)) return badData('amount: is greater than the authorized amount not yet captured');
  return addCapture(record, {
    id: newId(),
    createdAt: now,
    referenceId: body.reference_id,
    amount,
    taxAmount: extras.tax_amount,
    shippingAmount: extras.shipping_amount,
    discountAmount: extras.discount_amount,
    items: body.items ?? null,
  });
}

/** Tabby's auto-capture, right after the customer authorized: everything, under Tabby's own reference_id. */
export function captureInFull(record: PaymentRecord, referenceId: string, now: Date): Capture {
  return addCapture(record, {
    id: newId(),
    createdAt: now,
    referenceId,
    amount: uncaptured(record),
    taxAmount: 0,
    shippingAmount: 0,
    discountAmount: 0,
    items: null,
  });
}

function addCapture(record: PaymentRecord, entry: Capture): Capture {
  record.captures.push(entry);
  return entry;
}

/** What is left to capture: the authorized amount less the captures (nothing unless AUTHORIZED). */
export function uncaptured(record: PaymentRecord): number {
  return record.status === 'AUTHORIZED' ? record.amount - sumOf(record.captures) : 0;
}

/** AUTHORIZED → CLOSED: after a full capture, or on request, releasing what was not captured. */
export function close(record: PaymentRecord, now: Date): Refusal | null {
  if (record.status === 'CLOSED') return badData('already closed');
  if (record.status !== 'AUTHORIZED') return badData('could not close not authorized payments');
  record.status = 'CLOSED';
  record.closedAt = now;
  return null;
}

/** Only CLOSED payments with captures, up to what was captured and not yet refunded (tabby.md §4.5). */
export function refund(record: PaymentRecord, body: RefundRequest, now: Date): Refund | typeof REPEAT | Refusal {
  const amount = amountOf(record, 'amount', body.amount, true);
  if (typeof amount !== 'number') return amount;
  const repeat = repeatOf(record.refunds, body.reference_id, amount, 'refund');
  if (repeat !== null) return repeat;
  if (record.status !== 'CLOSED' || record.captures.length === 0) return badData('can not refund payment that has no captures and not closed');
  if (sumOf(record.refunds) + amount > sumOf(record.captures)) return badData('amount: is greater than the captured amount not yet refunded');
  const entry: Refund = { id: newId(), createdAt: now, referenceId: body.reference_id, amount, reason: body.reason ?? null, items: body.items ?? null };
  record.refunds.push(entry);
  return entry;
}

/** PUT /api/v2/payments/{id}: only order.reference_id, only once the customer paid. */
export function updateReference(record: PaymentRecord, referenceId: string): Refusal | null {
  if (record.status !== 'AUTHORIZED' && record.status !== 'CLOSED') {
    return badData(`could not update payment in status ${record.status}`);
  }
  record.referenceId = referenceId;
  return null;
}
