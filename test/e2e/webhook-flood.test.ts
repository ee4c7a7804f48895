/**
 * Nobody outside can grow a payment: a flood of unauthenticated SEQR hints costs a bounded number of
 * history events and provider calls, whether the payment waits on its customer or is already paid.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { useStack } from '../support/e2e-stack';
import { call, eventually } from '../support/http';
import { newTid, type Payment } from '../support/pos';

// Polls every second, so a flood's wakes are coalesced to at most one a second.
const e2e = useStack({ env: { SEQR_POLL_INTERVAL_MS: '1000', SEQR_WINDOW_SECONDS: '60' } });
const HINTS = 2000;

async function historyLength(paymentId: string): Promise<number> {
  return (await e2e().stack.client.workflow.getHandle(paymentId).fetchHistory()).events?.length ?? 0;
}

/** The history events after the first `after`, as event type names and times (the server's clock). */
async function eventsAfter(paymentId: string, after: number): Promise<{ type: string; at: number }[]> {
  const events = (await e2e().stack.client.workflow.getHandle(paymentId).fetchHistory()).events ?? [];
  return events.slice(after).map((event) => ({
    type: temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType),
    at: Number(event.eventTime?.seconds ?? 0) * 1000 + Math.floor((event.eventTime?.nanos ?? 0) / 1e6),
  }));
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
    const { pos, seqr } = e2e();
    const payment = (await pos.create({ provider: 'seqr', pos_id: 'till-f', pos_tid: newTid(), amount: 1000, currency: 'SEK' })).body;
    // The comparison: what one wake costs this payment on its own, measured on its history.
    const beforeOne = await historyLength(payment.id);
    assert.equal((await call('POST', `${e2e().stack.ingressUrl}/v1/webhooks/seqr?payment=${encodeURIComponent(payment.id)}`, { raw: '' })).status, 200);
    const handle = e2e().stack.client.workflow.getHandle(payment.id);
    const oneWake = await eventually('the single wake to be processed', async () => {
      const added = await eventsAfter(payment.id, beforeOne);
      if (!added.some((e) => e.type === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED')) return undefined;
      // Its workflow task and everything that task decided are in: nothing is pending.
      return (await handle.describe()).raw.pendingWorkflowTask ? undefined : eventsAfter(payment.id, beforeOne);
    });
    const eventsBefore = await historyLength(payment.id);
    const mark = await seqr.control.mark();
    await flood(payment);
    const added = await eventsAfter(payment.id, eventsBefore);
    const wakes = added.filter((e) => e.type === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED').length;
    // Nothing but wakes: no activity, timer or signal event, and no workflow task without a wake in it.
    const types = [...new Set(added.map((e) => e.type))];
    assert.deepEqual(types.filter((type) => !/WORKFLOW_TASK_|UPDATE_ACCEPTED|UPDATE_COMPLETED|MARKER_RECORDED|UPSERT_WORKFLOW_SEARCH_ATTRIBUTES/.test(type)), []);
    assert.ok(added.filter((e) => e.type === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED').length <= wakes, JSON.stringify(types));
    // Each of those wakes costs no more than the single wake did.
    assert.ok(added.length <= wakes * oneWake.length, `the flood added ${added.length} events for ${wakes} wakes; one wake costs ${oneWake.length}`);
    // And there is at most one wake per poll interval, on the workflow's own clock (its tasks' start times).
    const wakeTaskStarts = added.flatMap((event, i) => (event.type === 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED' ? [added.slice(0, i).reverse().find((e) => e.type === 'EVENT_TYPE_WORKFLOW_TASK_STARTED')!.at] : []));
    for (let i = 1; i < wakeTaskStarts.length; i++) assert.ok(wakeTaskStarts[i]! - wakeTaskStarts[i - 1]! >= 1000, `wakes ${wakeTaskStarts[i]! - wakeTaskStarts[i - 1]!} ms apart`);
    // SEQR saw the poll's own reads, a poll interval apart, plus at most one early read per accepted
    // wake: read gaps from SEQR's request log (one clock), early ones counted against the wakes.
    const reads = (await seqr.control.requests(mark)).filter((r) => r.operation === 'getPaymentStatus').map((r) => Date.parse(r.at));
    const early = reads.filter((at, i) => i > 0 && at - reads[i - 1]! < 1000).length;
    assert.ok(early <= wakes, `${early} early SEQR reads for ${wakes} wakes`);
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
