/**
 * Tabby payment status → our provider status (tabby.md §5). CLOSED means captured only when there
 * are captures; without any it is a cancelled (closed) authorization. Tabby documents no rule for
 * statuses it does not list, so an unknown one is an error that surfaces, never a guess.
 */
import { parseMajorUnits } from '../../workflows/money';
import type { ProviderObservation, ProviderStatus } from '../../workflows/provider-contract';
import type { TabbyPayment } from './wire';

export function statusOf(payment: TabbyPayment): ProviderStatus {
  switch (payment.status.toUpperCase()) {
    case 'CREATED': return 'pending';
    case 'AUTHORIZED': return 'authorized';
    case 'CLOSED': return payment.captures.length > 0 ? 'captured' : 'cancelled';
    case 'REJECTED': return 'rejected';
    case 'EXPIRED': return 'expired';
    default: throw new Error(`Tabby payment ${payment.id} has status ${payment.status}, which Tabby does not document`);
  }
}

export function observationOf(payment: TabbyPayment): ProviderObservation {
  const minor = (amount: string) => parseMajorUnits(amount, payment.currency);
  const status = statusOf(payment);
  const captured = payment.captures.reduce((sum, capture) => sum + minor(capture.amount), 0);
  const authorized = status === 'authorized' ? minor(payment.amount) : status === 'captured' ? captured : 0;
  return {
    status,
    authorized_amount: authorized,
    captured_amount: captured,
    refunded_amount: payment.refunds.reduce((sum, refund) => sum + minor(refund.amount), 0),
    authorization_expires_at: null,
    reference: { payment_id: payment.id, status: payment.status },
    failure: status === 'rejected' || status === 'expired'
      ? { code: `tabby_${payment.status.toLowerCase()}`, message: `Tabby payment ${payment.status}` }
      : null,
    detail: payment.captures.length > 0 ? `${payment.status} with captures` : payment.status,
  };
}
