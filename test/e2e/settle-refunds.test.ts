/**
 * Refunds on a captured Settle payment over the wire: partial, full, over-refund, idempotent ids and
 * a concurrent race (both recorded for the replay corpus). The refund rules themselves, in every
 * order and state, are the workflow tests' (test/workflow/refunds.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { newTid } from '../support/pos';
import { payWithSettle } from '../support/settle-customer';

const e2e = useStack();

async function capturedPayment(amount: number) {
  const { pos, settle } = e2e();
  const created = (await pos.create({ provider: 'settle', pos_id: 'till-3', pos_tid: newTid(), amount, currency: 'EUR' })).body;
  return payWithSettle(pos, settle, created);
}

describe('Settle refunds', () => {
  it('partial, then the rest, then nothing more', async () => {
    const { pos, settle } = e2e();
    const paid = await capturedPayment(3000);

    const partial = await pos.command(paid.id, 'refunds', { amount: 1000, refund_id: 'ret-1', reason: 'one item returned' });
    assert.equal(partial.status, 201);
    assert.equal(partial.body.refund.state, 'succeeded');
    assert.equal(partial.body.payment.state, 'partially_refunded');
    assert.equal(partial.body.payment.refunded_amount, 1000);

    const repeat = await pos.command(paid.id, 'refunds', { amount: 1000, refund_id: 'ret-1' });
    assert.equal(repeat.status, 201);
    assert.deepEqual(repeat.body.refund, partial.body.refund);

    const over = await pos.command(paid.id, 'refunds', { amount: 2001 });
    assert.equal(over.status, 422);
    assert.equal(over.body.code, 'refund_exceeds_captured');

    const rest = await pos.command(paid.id, 'refunds', { amount: 2000 });
    assert.equal(rest.status, 201);
    assert.equal(rest.body.payment.state, 'refunded');
    assert.equal(rest.body.payment.refunded_amount, 3000);

    const atSettle = await settle.request(paid.provider_reference.tid!);
    assert.deepEqual(atSettle.outcome.refunds.map((r) => r.amount), [1000, 2000]);
    assert.equal((await pos.command(paid.id, 'refunds', { amount: 1 })).status, 409);
    await e2e().recordHistory('settle-refunds-partial-full', paid.id);
  });

  it('two refunds at once that together exceed the captured amount: exactly one succeeds', async () => {
    const { pos, settle } = e2e();
    const paid = await capturedPayment(2000);
    const answers = await Promise.all([
      pos.command(paid.id, 'refunds', { amount: 1500, refund_id: 'race-a' }),
      pos.command(paid.id, 'refunds', { amount: 1500, refund_id: 'race-b' }),
    ]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 422]);
    const final = (await pos.get(paid.id)).body;
    assert.equal(final.refunded_amount, 1500);
    assert.deepEqual((await settle.request(paid.provider_reference.tid!)).outcome.refunds.map((r) => r.amount), [1500]);
    await e2e().recordHistory('settle-refunds-concurrent', paid.id);
  });
});
