/**
 * Nobody outside can grow a payment: a flood of unauthenticated SEQR hints costs no history event
 * and a bounded number of provider calls, whether the payment waits on its customer or is already paid.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { call, counterTotal, eventually } from '../support/http';
import { newTid, type Payment } from '../support/pos';

// Polls every second; the worker's /metrics counts the nudges of polls.
const e2e = useStack({ env: { SEQR_POLL_INTERVAL_MS: '1000', SEQR_WINDOW_SECONDS: '60', WORKER_METRICS_PORT: '0' } });
const HINTS = 2000;

async function historyLength(paymentId: string): Promise<number> {
  return (await e2e().stack.client.workflow.getHandle(paymentId).fetchHistory()).events?.length ?? 0;
}

/** `HINTS` SEQR notifications for `payment`, 25 at a time; answers how long the flood took. */
async function flood(payment: Payment): Promise<void> {
  const url = `${e2e().stack.ingressUrl}/v1/webhooks/seqr?payment=${encodeURIComponent(payment.id)}`;
  let sent = 0;
  await Promise.all(Array.from({ length: 25 }, async () => {
    while (sent < HINTS) {
      sent += 1;
      const answer = await call('POST', url, { raw: '' });
      assert.equal(answer.status, 200);
    }
  }));
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

/** Webhook nudges of polls the worker counted. */
const nudgesCounted = () => counterTotal(e2e().stack.workerMetricsUrl!, 'pos_poll_nudges_total');

async function statusReads(payment: Payment): Promise<number> {
  const invoice = await e2e().seqr.invoice(e2e().seqr.invoiceOf(payment));
  return invoice.actions.filter((action) => action.action === 'getPaymentStatus').length;
}

describe('a flood of webhook hints', () => {
  before(async () => {
    const registered = await call('PUT', `${e2e().stack.ingressUrl}/v1/terminals/till-f/seqr`, { body: { seqr_id: 'SQF1', name: 'Till F' }, headers: { authorization: 'Bearer key-a' } });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
  });

  it('on a waiting payment: no history at all, and at most one early SEQR read per nudge of its poll (hints are admitted one a second)', async () => {
    const { pos, seqr } = e2e();
    const payment = (await pos.create({ provider: 'seqr', pos_id: 'till-f', pos_tid: newTid(), amount: 1000, currency: 'SEK' })).body;
    // Its poll runs once it has read SEQR: every admitted hint then nudges it from the wake's validator.
    await eventually('the poll to read SEQR', async () => (await statusReads(payment)) > 0);
    const eventsBefore = await historyLength(payment.id);
    const nudgesBefore = await nudgesCounted();
    const mark = await seqr.control.mark();
    const started = Date.now();
    await flood(payment);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(await historyLength(payment.id), eventsBefore, 'the flood wrote no history');
    const nudges = (await nudgesCounted()) - nudgesBefore;
    assert.ok(nudges >= 1, 'the admitted hints nudged the poll');
    assert.ok(nudges <= Math.ceil(seconds) + 1, `${nudges} nudges in ${seconds} s: hints are admitted one a second per payment`);
    // SEQR saw the poll's own reads, a poll interval apart, plus at most one early read per nudge:
    // read gaps from SEQR's request log (one clock).
    const reads = (await seqr.control.requests(mark)).filter((r) => r.operation === 'getPaymentStatus').map((r) => Date.parse(r.at));
    const early = reads.filter((at, i) => i > 0 && at - reads[i - 1]! < 1000).length;
    assert.ok(early <= nudges, `${early} early SEQR reads for ${nudges} nudges`);
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
