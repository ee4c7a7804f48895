/**
 * A refund, from the command to the provider's answer. Refunds run while the payment sits in its
 * refund window, concurrently with each other: each `refund` update answers with its own outcome,
 * so each runs as its own small step, started by its handler (the histories of every release
 * schedule the refund from there).
 */
import { ApplicationFailure, condition, uuid4 } from '@temporalio/workflow';
import { refundExceeds, type RefundCommandInput } from './command-rules';
import type { Failure, RefundResult } from './payment';
import type { PaymentLifecycle } from './payment-lifecycle';
import { failureOf, settlingCall } from './provider-calls';

export async function refund(lifecycle: PaymentLifecycle, { amount, refund_id, reason }: RefundCommandInput): Promise<RefundResult> {
  const { record } = lifecycle;
  const refundId = refund_id ?? uuid4();
  // Only the very repeat of a refund gets here: the validator refuses its id with another amount.
  const existing = record.findRefund(refundId);
  if (existing) {
    await condition(() => existing.state !== 'pending');
    return { refund: existing, payment: record.resource };
  }
  const exceeds = refundExceeds(record.resource, record.refundableAmount(), amount);
  if (exceeds) throw ApplicationFailure.create({ type: exceeds.type, message: exceeds.message, nonRetryable: true, details: [record.resource] });
  record.addRefund({ refund_id: refundId, amount, state: 'pending', reason, created_at: new Date().toISOString(), failure: null });
  let failure: Failure | null = null;
  try {
    await settlingCall(`refund ${lifecycle.money(amount)}`).refundPayment(lifecycle.payment, lifecycle.reference(), { refund_id: refundId, amount });
  } catch (error) {
    failure = failureOf(error);
  }
  return { refund: record.settleRefund(refundId, { failure }), payment: record.resource };
}
