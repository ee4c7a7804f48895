/**
 * The transaction and payment state machines (paysera.md §5) as functions that check a trigger
 * against the current state and, when it is legal, change the records. They know nothing about
 * HTTP, timers or callbacks: the service decides what to log and whom to tell.
 */
import type { OrderStatus, TransactionStatus } from './statuses';
import { invalidParameters, invalidState, type Refusal } from './errors';
import type { OrderRecord, PaymentRecord, TransactionRecord } from './model';

/** Nobody has accepted yet, or acceptance is still under way. */
const PENDING: readonly TransactionStatus[] = ['new', 'waiting', 'waiting_funds', 'waiting_registration', 'waiting_password'];
/** §3.2: revoke is allowed in these. */
const REVOCABLE: readonly TransactionStatus[] = [...PENDING, 'reserved'];

/** The transaction and its payments move together; settled or cancelled payments stay as they are. */
function moveTo(transaction: TransactionRecord, payments: readonly PaymentRecord[], status: TransactionStatus): void {
  transaction.status = status;
  for (const payment of payments) if (payment.status !== 'done' && payment.status !== 'canceled') payment.status = status;
}

function refuseUnless(transaction: TransactionRecord, allowed: readonly TransactionStatus[], action: string): Refusal | null {
  if (allowed.includes(transaction.status)) return null;
  return invalidState(`cannot ${action} transaction ${transaction.key} in status ${transaction.status}`);
}

/** §5: an order follows its transaction unless it was closed on its own (deleted, or its spot closed). */
export function orderStatus(order: OrderRecord, transaction: TransactionRecord): OrderStatus {
  if (order.closed) return 'closed';
  if (PENDING.includes(transaction.status)) return 'pending';
  if (transaction.status === 'reserved') return 'reserved';
  if (transaction.status === 'confirmed') return 'confirmed';
  return 'closed';
}

export function isPending(order: OrderRecord, transaction: TransactionRecord): boolean {
  return orderStatus(order, transaction) === 'pending';
}

/** The customer accepts: money reserved, or with auto_confirm confirmed at once (§4.3). */
export function reserve(transaction: TransactionRecord, payments: readonly PaymentRecord[], wallet: number, now: Date): Refusal | null {
  const refused = refuseUnless(transaction, PENDING, 'reserve');
  if (refused) return refused;
  transaction.wallet = wallet;
  if (transaction.autoConfirm === true) confirmAll(transaction, payments, now);
  else moveTo(transaction, payments, 'reserved');
  return null;
}

export function reject(transaction: TransactionRecord, payments: readonly PaymentRecord[]): Refusal | null {
  const refused = refuseUnless(transaction, PENDING, 'reject');
  if (refused) return refused;
  moveTo(transaction, payments, 'rejected');
  return null;
}

/** Fails "for another reason" (§5): anything not yet final. */
export function fail(transaction: TransactionRecord, payments: readonly PaymentRecord[]): Refusal | null {
  const refused = refuseUnless(transaction, REVOCABLE, 'fail');
  if (refused) return refused;
  moveTo(transaction, payments, 'failed');
  return null;
}

export type LowerPrices = ReadonlyMap<number, { price: number; currency: string }>;

/**
 * Only a reserved transaction, optionally at lower prices per payment (§4.5): each named payment
 * must belong to it, keep its currency and not grow.
 */
export function confirm(transaction: TransactionRecord, payments: readonly PaymentRecord[], lowerPrices: LowerPrices, now: Date): Refusal | null {
  const refused = refuseUnless(transaction, ['reserved'], 'confirm');
  if (refused) return refused;
  // Every lower price is checked before any is applied: a refused confirm changes nothing.
  const lowered: [PaymentRecord, number][] = [];
  for (const [paymentId, lower] of lowerPrices) {
    const payment = payments.find((candidate) => candidate.id === paymentId);
    if (payment === undefined) return invalidParameters(`payment ${paymentId} is not part of transaction ${transaction.key}`);
    if (lower.currency !== payment.currency) return invalidParameters(`payment ${paymentId}: currency must be ${payment.currency}`);
    if (lower.price > payment.price) return invalidParameters(`payment ${paymentId}: cannot confirm more than the reserved ${payment.price}`);
    lowered.push([payment, lower.price]);
  }
  for (const [payment, price] of lowered) payment.price = price;
  confirmAll(transaction, payments, now);
  return null;
}

function confirmAll(transaction: TransactionRecord, payments: readonly PaymentRecord[], now: Date): void {
  moveTo(transaction, payments, 'confirmed');
  transaction.confirmedAt = now;
  for (const payment of payments) payment.confirmedAt = now;
}

export function revoke(transaction: TransactionRecord, payments: readonly PaymentRecord[]): Refusal | null {
  const refused = refuseUnless(transaction, REVOCABLE, 'revoke');
  if (refused) return refused;
  moveTo(transaction, payments, 'revoked');
  return null;
}

/** The reservation window passed unconfirmed: released, read as revoked (§5, inferred). False when nothing lapsed. */
export function lapse(transaction: TransactionRecord, payments: readonly PaymentRecord[]): boolean {
  if (transaction.status !== 'reserved') return false;
  moveTo(transaction, payments, 'revoked');
  return true;
}

/** §3.2: only a confirmed payment that is not yet done; the money returns to the payer. */
export function cancelPayment(payment: PaymentRecord): Refusal | null {
  if (payment.status !== 'confirmed') return invalidState(`cannot cancel payment ${payment.id} in status ${payment.status}`);
  payment.status = 'canceled';
  return null;
}

/** The money is settled with the merchant: from now on the payment cannot be cancelled. */
export function settlePayment(payment: PaymentRecord): Refusal | null {
  if (payment.status !== 'confirmed') return invalidState(`cannot settle payment ${payment.id} in status ${payment.status}`);
  payment.status = 'done';
  return null;
}
