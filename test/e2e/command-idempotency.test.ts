/**
 * Commands are idempotent and never pretend: repeating the very same command answers its first
 * outcome; a different command on a payment that can no longer take it is refused with the payment.
 */
import assert from 'node:assert/strict';
import { afterEach, before, describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { call, eventually } from '../support/http';
import { newTid, type Payment } from '../support/pos';
import { payWithSettle } from '../support/settle-customer';

// A refund window short enough to see a payment's workflow complete; SEQR windows of 5 s.
const e2e = useStack({ env: { PAYMENT_REFUND_WINDOW_SECONDS: '15', SEQR_POLL_INTERVAL_MS: '200', SEQR_WINDOW_SECONDS: '5' } });
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
  afterEach(() => e2e().settle.clearFaults());

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

  it('another amount while the first capture is still in flight → 409, never merged into it', async () => {
    const { pos, settle } = e2e();
    const authorized = await settlePayment('authorized', { capture_mode: 'manual' });
    // Settle answers the capture 503 four times: it stays in flight through the retries' backoff.
    await settle.fault({ method: 'PUT', path_pattern: `^/merchant/v1/payment_request/${authorized.provider_reference.tid}/$`, fault: 'status_503', times: 4 });
    const first = pos.command(authorized.id, 'capture', { amount: 2000 });
    await eventually('the first capture to reach Settle', async () => {
      const faults = (await call<{ remaining: number }[]>('GET', `${settle.sandboxUrl}/_sandbox/faults`)).body;
      return faults.every((fault) => fault.remaining < 4);
    });

    const other = await pos.command(authorized.id, 'capture', { amount: 3000 });
    assert.equal(other.status, 409);
    assert.equal(other.body.code, 'invalid_state');
    assert.equal(other.body.payment.state, 'authorized');
    assert.equal((await pos.command(authorized.id, 'capture', {})).status, 409);

    const repeat = await pos.command(authorized.id, 'capture', { amount: 2000 });
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.state, 'captured');
    assert.equal(repeat.body.captured_amount, 2000);
    const firstAnswer = await first;
    assert.equal(firstAnswer.status, 200);
    assert.equal(firstAnswer.body.captured_amount, 2000);
    assert.deepEqual(await settleCaptures(authorized), [2000]);
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

    const after = (await pos.get(paid.id)).body;
    assert.equal(after.refunded_amount, 500);
    assert.deepEqual(after.refunds.map((r) => [r.refund_id, r.amount]), [['r1', 500]]);
    assert.deepEqual((await settle.request(paid.provider_reference.tid!)).outcome.refunds.map((r) => r.amount), [500]);
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

describe('SEQR retry', () => {
  const till = 'till-11';
  before(async () => {
    const registered = await call('PUT', `${e2e().stack.ingressUrl}/v1/terminals/${till}/seqr`, {
      body: { seqr_id: 'SQ9011', name: 'Till 11' },
      headers: { authorization: 'Bearer key-a' },
    });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });

  it('nobody asked → 409; the repeat of a retry → 200 without a second new window', async () => {
    const { pos, seqr } = e2e();
    const payment = (await pos.create({ provider: 'seqr', pos_id: till, pos_tid: newTid(), amount: 14999, currency: 'SEK' })).body;
    const unasked = await pos.command(payment.id, 'retry');
    assert.equal(unasked.status, 409);
    assert.equal(unasked.body.code, 'invalid_state');
    assert.equal(unasked.body.payment.action_required, null);

    await pos.waitFor(payment.id, (p) => p.action_required === 'retry_or_cancel');
    const retried = await pos.command(payment.id, 'retry');
    assert.equal(retried.status, 200);
    assert.equal(retried.body.action_required, null);

    const repeat = await pos.command(payment.id, 'retry');
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.state, 'awaiting_customer');
    assert.equal(repeat.body.action_required, null);
    // Nothing visible changed: no second window was started.
    assert.equal(repeat.body.version, retried.body.version);
    const { timeline } = repeat.body as Payment;
    assert.equal(timeline.filter((entry) => entry.detail === 'the cashier asked the customer to try again').length, 1);

    await seqr.scanAndPay(payment);
    await pos.waitForState(payment.id, 'captured');
    const afterPaid = await pos.command(payment.id, 'retry');
    assert.equal(afterPaid.status, 409);
    assert.equal(afterPaid.body.payment.state, 'captured');
  });
});
