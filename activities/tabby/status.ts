/**
 * Tabby payment status → our provider status (tabby.md §5). CLOSED means captured only when there
 * are captures; without any it is a cancelled (closed) authorization. Tabby documents no rule for
 * statuses it does not list: the status was parsed into the documented set (wire.ts), so an
 * unknown one failed there, and this switch covers every member.
 */
import { parseMajorUnits } from '../../workflows/money';
import type { ProviderObservation, ProviderStatus } from '../../workflows/provider-contract';
import { unreachable } from '../exhaustive';
import type { TabbyPayment } from './wire';

export function statusOf(payment: TabbyPayment): ProviderStatus {
  const status = payment.status;
  switch (status) {
    case 'CREATED': return 'pending';
    case 'AUTHORIZED': return 'authorized';
    case 'CLOSED': return payment.captures.length > 0 ? 'captured' : 'cancelled';
    case 'REJECTED': return 'rejected';
    case 'EXPIRED': return 'expired';
    default: return unreachable(status, `Tabby payment ${payment.id} status`);
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
    reference: { payment_id: payment.id },
    failure: status === 'rejected' || status === 'expired'
      ? { code: `tabby_${payment.status.toLowerCase()}`, message: `Tabby payment ${payment.status}` }
      : null,
    detail: payment.captures.length > 0 ? `${payment.status} with captures` : payment.status,
  };
}
