/**
 * The invoice state machine (seqr.md §5.1, §8) as functions over a record's status. They know
 * nothing about timers, notifications or logs: lifecycle.ts decides those. Every status change
 * bumps `version`, which is what a polling terminal acknowledges.
 */
import type { ResultCode } from './result-codes';
import type { InvoiceRecord, InvoiceStatus } from './model';

/** What the customer (or SEQR on their behalf) does to an open invoice. */
export type CustomerMove = 'start_payment' | 'pay' | 'fail';

const MOVES: Record<CustomerMove, { from: readonly InvoiceStatus[]; to: InvoiceStatus }> = {
  // The app has the amount and the bank is working on it: "payment in progress".
  start_payment: { from: ['ISSUED'], to: 'PENDING_ISSUER_ACKNOWLEDGE' },
  pay: { from: ['ISSUED', 'PENDING_ISSUER_ACKNOWLEDGE'], to: 'PAID' },
  fail: { from: ['ISSUED', 'PENDING_ISSUER_ACKNOWLEDGE'], to: 'FAILED' },
};

export function moveTo(invoice: InvoiceRecord, status: InvoiceStatus): void {
  invoice.status = status;
  invoice.version += 1;
}

/** Applies the customer's move; false when the invoice is not in a status it starts from. */
export function customerMove(invoice: InvoiceRecord, move: CustomerMove): boolean {
  const { from, to } = MOVES[move];
  if (!from.includes(invoice.status)) return false;
  moveTo(invoice, to);
  return true;
}

/**
 * cancelInvoice (seqr.md §8): only an ISSUED invoice is cancelled. A FAILED one has nothing left
 * to cancel either; the sandbox answers it like an already cancelled one (95), which is what a POS
 * needs to hear: over, not paid (SEQR documents no code for it).
 */
export function cancelByMerchant(invoice: InvoiceRecord): 0 | Extract<ResultCode, 50 | 51 | 95> {
  switch (invoice.status) {
    case 'ISSUED':
      moveTo(invoice, 'CANCELED');
      return 0;
    case 'PAID':
      return 50;
    case 'PENDING_ISSUER_ACKNOWLEDGE':
      return 51;
    case 'CANCELED':
    case 'FAILED':
      return 95;
  }
}
