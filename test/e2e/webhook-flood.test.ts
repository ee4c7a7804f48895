/**
 * Nobody outside can grow a payment: a flood of unauthenticated SEQR hints costs a bounded number of
 * history events and provider calls, whether the payment waits on its customer or is already paid.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { call, eventually } from '../support/http';
import { newTid, type Payment } from '../support/pos';

// Polls every second, so a flood's wakes are coalesced to at most one a second.
const e2e = useStack({ env: { SEQR_POLL_INTERVAL_MS: '1000', SEQR_WINDOW_SECONDS: '60' } });
const HINTS = 2000;

async function historyLength(paymentId: string): Promise<number> {
  return (await e2e().stack.client.workflow.getHandle(paymentId).fetchHistory()).events?.length ?? 0;
}

/** `HINTS` SEQR notifications for `payment`, 25 at a time; answers how long the flood took. */
async function flood(payment: Payment): Promise<number> {
  const started = Date.now();
  const url = `${e2e().stack.ingressUrl}/v1/webhooks/seqr?payment=${encodeURIComponent(payment.id)}`;
  let sent = 0;
  await Promise.all(Array.from({ length: 25 }, async () => {
    while (sent < HINTS) {
      sent += 1;
      const answer = await call('POST', url, { raw: '' });
      assert.equal(answer.status, 200);
    }
  }));
  return (Date.now() - started) / 1000;
}

/** Waits until the paid payment has nothing left to do but keep its refund window open. */
async function settled(payment: Payment): Promise<void> {
  const { seqr, stack } = e2e();
  const handle = stack.client.workflow.getHandle(payment.id);
  await eventually('the receipt to reach SEQR and the payment to go quiet', async () => {
    const invoice = await seqr.invoice(seqr.invoiceOf(payment));
    if (!invoice.actions.some((action) => action.action === 'submitPaymentReceipt')) return false;
    const { raw } = await handle.describe();
    return (raw.pendingActivities?.length ?? 0) === 0 && !raw.pendingWorkflowTask;
  });
}

async function statusReads(payment: Payment): Promise<number> {
  const invoice = await e2e().seqr.invoice(e2e().seqr.invoiceOf(payment));
  return invoice.actions.filter((action) => action.action === 'getPaymentStatus').length;
}

describe('a flood of webhook hints', () => {
  before(async () => {
    const registered = await call('PUT', `${e2e().stack.ingressUrl}/v1/terminals/till-f/seqr`, { body: { seqr_id: 'SQF1', name: 'Till F' }, headers: { authorization: 'Bearer key-a' } });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });

  it('on a waiting payment: at most one wake per poll interval, so history and SEQR reads stay bounded', async () => {
    const { pos } = e2e();
    const payment = (await pos.create({ provider: 'seqr', pos_id: 'till-f', pos_tid: newTid(), amount: 1000, currency: 'SEK' })).body;
    const eventsBefore = await historyLength(payment.id);
    const readsBefore = await statusReads(payment);
    const seconds = await flood(payment);
    const wakesAllowed = Math.ceil(seconds) + 1;
    // A wake costs a workflow task (3 events), its update (2) and at most one nudge marker.
    assert.ok(await historyLength(payment.id) - eventsBefore <= wakesAllowed * 6, `history grew by more than ${wakesAllowed} wakes`);
    // The poll reads once a second, plus at most one early read per wake.
    assert.ok(await statusReads(payment) - readsBefore <= 2 * wakesAllowed + 2, `SEQR was read more than the cadence and ${wakesAllowed} wakes allow`);
    assert.equal((await pos.get(payment.id)).body.state, 'awaiting_customer');
    await pos.command(payment.id, 'cancel');
  });

  it('on a paid payment: no history and no SEQR call at all', async () => {
    const { pos, seqr } = e2e();
    const payment = (await pos.create({ provider: 'seqr', pos_id: 'till-f', pos_tid: newTid(), amount: 1000, currency: 'SEK' })).body;
    await seqr.scanAndPay(payment);
    await pos.waitForState(payment.id, 'captured');
    await settled(payment);
    const eventsBefore = await historyLength(payment.id);
    const readsBefore = await statusReads(payment);
    await flood(payment);
    assert.equal(await historyLength(payment.id), eventsBefore);
    assert.equal(await statusReads(payment), readsBefore);
  });
});
