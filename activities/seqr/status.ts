/**
 * SEQR invoice status → our provider status (seqr.md §5.1, §5.3). A CANCELED invoice we did not
 * cancel was reversed (not polled in time) or replaced by a newer invoice on the till: money was
 * not taken, and the payment says so as a failure rather than pretending a cancel.
 */
import type { ProviderObservation, ProviderStatus } from '../../workflows/provider-contract';
import { unreachable } from '../exhaustive';
import type { SeqrInvoiceStatus, SeqrPaymentStatus } from './client';

/** Exhaustive over the parsed statuses: one the WSDL does not list was refused by the client. */
export function statusOf(status: SeqrInvoiceStatus): ProviderStatus {
  switch (status) {
    case 'ISSUED':
    case 'PENDING_ISSUER_ACKNOWLEDGE': return 'pending';
    case 'RESERVED': return 'authorized';
    case 'PAID': return 'captured';
    case 'CANCELED':
    case 'FAILED': return 'failed';
    default: return unreachable(status, 'SEQR invoice status');
  }
}

export function observationOf(answer: SeqrPaymentStatus, invoiceReference: string, amount: number): ProviderObservation {
  const status = statusOf(answer.status);
  const paid = status === 'captured' ? amount : 0;
  const reference: Record<string, string> = { invoice_reference: invoiceReference };
  if (answer.ersReference) reference.ers_reference = answer.ersReference;
  if (answer.receipt) {
    reference.payment_reference = answer.receipt.paymentReference;
    reference.payment_date = answer.receipt.paymentDate;
  }
  return {
    status,
    authorized_amount: paid,
    captured_amount: paid,
    refunded_amount: 0,
    authorization_expires_at: null,
    reference,
    // The invoice version lets the next status read wait for a newer one (seqr.md, getPaymentStatus).
    private_reference: { invoice_version: String(answer.version) },
    failure: status === 'failed'
      ? { code: `seqr_${answer.status.toLowerCase()}`, message: answer.status === 'CANCELED' ? 'SEQR cancelled the invoice (reversed, or replaced by a newer invoice on the till)' : 'SEQR reports the payment failed' }
      : null,
    detail: answer.status,
  };
}
