/**
 * Paysera transaction status → our provider status (paysera.md §5). `confirmed` is paid; a payment
 * `canceled` after confirmation is our refund. The status was parsed into the documented set
 * (wire.ts), so an undocumented one never gets here, and the switch covers every member.
 */
import type { ProviderObservation, ProviderStatus } from '../../workflows/provider-contract';
import { unreachable } from '../exhaustive';
import type { Transaction, TransactionStatus } from './wire';

export function statusOf(status: TransactionStatus): ProviderStatus {
  switch (status) {
    case 'new':
    case 'waiting':
    case 'waiting_funds':
    case 'waiting_registration':
    case 'waiting_password': return 'pending';
    case 'reserved': return 'authorized';
    case 'confirmed': return 'captured';
    case 'rejected': return 'rejected';
    case 'revoked': return 'cancelled';
    case 'failed':
    case 'deleted': return 'failed';
    default: return unreachable(status, 'Paysera transaction status');
  }
}

export function observationOf(transaction: Transaction): ProviderObservation {
  const status = statusOf(transaction.status);
  const total = transaction.payments.reduce((sum, payment) => sum + payment.price, 0);
  const refunded = transaction.payments.filter((payment) => payment.status === 'canceled').reduce((sum, payment) => sum + payment.price, 0);
  return {
    status,
    authorized_amount: status === 'authorized' || status === 'captured' ? total : 0,
    captured_amount: status === 'captured' ? total : 0,
    refunded_amount: refunded,
    authorization_expires_at: null,
    reference: { transaction_key: transaction.transaction_key },
    // A refund revokes each of the transaction's payments by id (paysera.md, revoke).
    private_reference: { payment_ids: transaction.payments.map((payment) => String(payment.id)).join(',') },
    failure: status === 'rejected' || status === 'failed' ? { code: `paysera_${transaction.status}`, message: `Paysera transaction ${transaction.status}` } : null,
    detail: transaction.status,
  };
}
