/**
 * Commands are idempotent and never pretend: repeating the very same command answers its first
 * outcome; a different command on a payment that can no longer take it is refused with the payment.
 * Over the wire, and once the workflow has completed (the ingress answers then). Commands racing
 * each other and the cashier's retry windows are the workflow tests' (test/workflow/).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { eventually } from '../support/http';
import { newTid, type Payment } from '../support/pos';
import { payWithSettle } from '../support/settle-customer';

// A refund window short enough to see a payment's workflow complete.
const e2e = useStack({ env: { PAYMENT_REFUND_WINDOW_SECONDS: '15' } });
const settleOrder = (extra: Record<string, unknown> = {}) => ({ provider: 'settle', pos_id: 'till-8', pos_tid: newTid(), amount: 5000, currency: 'NOK', ...extra });

async function settlePayment(state: 'authorized' | 'captured', extra: Record<string, unknown> = {}): Promise<Payment> {
  const { pos, settle } = e2e();
  const created = (await pos.create(settleOrder(extra))).body;
  return payWithSettle(pos, settle, created, state);
}

function workflowCompleted(paymentId: string): Promise<boolean> {
  return eventually(`the workflow of ${paymentId} to complete`, async () =>
    (await e2e().stack.client.workflow.getHandle(paymentId).describe()).status.name === 'COMPLETED', 60_000);
}

async function settleCaptures(payment: Payment): Promise<number[]> {
  return (await e2e().settle.request(payment.provider_reference.tid!)).outcome.captures.map((c) => c.amount);
}

describe('capture', () => {
  it('the repeat answers the same payment; another amount or "capture all" → 409 with the captured payment', async () => {
    const { pos } = e2e();
    const authorized = await settlePayment('authorized', { capture_mode: 'manual' });

    const captured = await pos.command(authorized.id, 'capture', { amount: 3500 });
    assert.equal(captured.status, 200);
    assert.equal(captured.body.state, 'captured');
    assert.equal(captured.body.captured_amount, 3500);

    const repeat = await pos.command(authorized.id, 'capture', { amount: 3500 });
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.id, authorized.id);
    assert.equal(repeat.body.state, 'captured');
    assert.equal(repeat.body.captured_amount, 3500);

    const other = await pos.command(authorized.id, 'capture', { amount: 4000 });
    assert.equal(other.status, 409);
    assert.equal(other.body.code, 'invalid_state');
    assert.equal(other.body.payment.state, 'captured');
    assert.equal(other.body.payment.captured_amount, 3500);

    const all = await pos.command(authorized.id, 'capture', {});
    assert.equal(all.status, 409);
    assert.equal(all.body.code, 'invalid_state');
    assert.equal(all.body.payment.state, 'captured');

    assert.deepEqual(await settleCaptures(authorized), [3500]);
  });

  it('after a cancel was accepted → 409, the payment cancelled', async () => {
    const { pos } = e2e();
    const authorized = await settlePayment('authorized', { capture_mode: 'manual' });
    assert.equal((await pos.command(authorized.id, 'cancel', {})).status, 200);
    const late = await pos.command(authorized.id, 'capture', {});
    assert.equal(late.status, 409);
    assert.equal(late.body.code, 'invalid_state');
    assert.equal(late.body.payment.state, 'cancelled');
    assert.deepEqual(await settleCaptures(authorized), []);
  });
});

describe('refunds', () => {
  it('the same refund_id and amount → the same refund; another amount → 409 idempotency_conflict, nothing changes', async () => {
    const { pos, settle } = e2e();
    const paid = await settlePayment('captured', { amount: 3000, currency: 'EUR' });

    const first = await pos.command(paid.id, 'refunds', { amount: 500, refund_id: 'r1' });
    assert.equal(first.status, 201);
    assert.equal(first.body.refund.state, 'succeeded');
    assert.equal(first.body.payment.refunded_amount, 500);

    const repeat = await pos.command(paid.id, 'refunds', { amount: 500, refund_id: 'r1' });
    assert.equal(repeat.status, 201);
    assert.deepEqual(repeat.body.refund, first.body.refund);

    const conflict = await pos.command(paid.id, 'refunds', { amount: 600, refund_id: 'r1' });
    assert.equal(conflict.status, 409);
    assert.match(String(conflict.headers['content-type']), /^application\/problem\+json/);
    assert.equal(conflict.body.code, 'idempotency_conflict');
    assert.equal(conflict.body.payment.refunded_amount, 500);

    // A positive signal that the workflow has processed everything sent before it: a later refund.
    // Had the refused one been sent to Settle anyway, it would show before this one.
    const later = await pos.command(paid.id, 'refunds', { amount: 100, refund_id: 'r2' });
    assert.equal(later.status, 201, JSON.stringify(later.body));
    const after = (await pos.get(paid.id)).body;
    assert.equal(after.refunded_amount, 600);
    assert.deepEqual(after.refunds.map((r) => [r.refund_id, r.amount]), [['r1', 500], ['r2', 100]]);
    assert.deepEqual((await settle.request(paid.provider_reference.tid!)).outcome.refunds.map((r) => r.amount), [500, 100]);
  });

  it('once the refund window closed: the same refund again, another amount still 409 idempotency_conflict', async () => {
    const { pos } = e2e();
    const paid = await settlePayment('captured', { amount: 3000, currency: 'EUR' });
    const first = await pos.command(paid.id, 'refunds', { amount: 500, refund_id: 'r1' });
    assert.equal(first.status, 201);
    await workflowCompleted(paid.id);

    const repeat = await pos.command(paid.id, 'refunds', { amount: 500, refund_id: 'r1' });
    assert.equal(repeat.status, 201);
    assert.deepEqual(repeat.body.refund, first.body.refund);
    const conflict = await pos.command(paid.id, 'refunds', { amount: 600, refund_id: 'r1' });
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.code, 'idempotency_conflict');
    assert.equal(conflict.body.payment.refunded_amount, 500);
    const closed = await pos.command(paid.id, 'refunds', { amount: 100, refund_id: 'r2' });
    assert.equal(closed.status, 409);
    assert.equal(closed.body.code, 'invalid_state');
  });
});

describe('cancel', () => {
  it('repeated after it took effect → 200 cancelled, also once the workflow completed', async () => {
    const { pos } = e2e();
    const created = (await pos.create(settleOrder())).body;
    const cancelled = await pos.command(created.id, 'cancel', { reason: 'customer pays cash' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.state, 'cancelled');
    const repeat = await pos.command(created.id, 'cancel', { reason: 'customer pays cash' });
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.state, 'cancelled');
    await workflowCompleted(created.id);
    const late = await pos.command(created.id, 'cancel', {});
    assert.equal(late.status, 200);
    assert.equal(late.body.state, 'cancelled');
  });

  it('on a captured payment → 409 with the captured payment, however often', async () => {
    const { pos } = e2e();
    const paid = await settlePayment('captured');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const refused = await pos.command(paid.id, 'cancel', {});
      assert.equal(refused.status, 409);
      assert.equal(refused.body.code, 'invalid_state');
      assert.equal(refused.body.payment.state, 'captured');
    }
  });
});
