/**
 * Capacity: customers waiting at the tills never starve the lifecycle of other payments, a full
 * wait capacity is a fast and clear 503, a long poll is woken through any ingress, and waiting
 * tills add no history however often they ask.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { freePort } from '../../src/stack';
import { useStack } from '../support/e2e-stack';
import { eventually } from '../support/http';
import { newTid, Pos, type Payment } from '../support/pos';
import { ServiceProcess } from '../support/processes';
import { scanPayment } from '../support/settle-customer';

// Two customers can be waited on at once; lifecycle activities have their own slots.
const e2e = useStack({ env: { WORKER_WAIT_SLOTS: '2' } });
const settlePayment = (extra: Record<string, unknown> = {}) => ({ provider: 'settle', pos_id: 'till-9', pos_tid: newTid(), amount: 700, currency: 'EUR', ...extra });

async function historyLength(paymentId: string): Promise<number> {
  return (await e2e().stack.client.workflow.getHandle(paymentId).fetchHistory()).events?.length ?? 0;
}

describe('capacity', () => {
  it('waiting customers beyond the wait slots: set-up and capture still run, new payments get a fast 503', async () => {
    const { pos, settle } = e2e();
    const held = (await pos.create(settlePayment({ capture_mode: 'manual' }))).body;
    const other = (await pos.create(settlePayment())).body;
    const heldTid = await scanPayment(pos, settle, held);
    await scanPayment(pos, settle, other);

    // Both wait slots poll for a customer now; set-up runs on the lifecycle's own slots.
    const third = await pos.create(settlePayment());
    assert.equal(third.status, 201, JSON.stringify(third.body));
    assert.equal(third.body.state, 'awaiting_customer');
    assert.ok(third.body.qr?.content);
    // Its poll finds no free wait slot and waits in the queue's backlog ...
    await scanPayment(pos, settle, third.body);

    // ... so a new payment is refused at once, with nothing started (once Temporal's backlog
    // statistics, refreshed every few seconds, show the waiting poll).
    let refusedBody = settlePayment();
    const refused = await eventually('a create to be refused for capacity', async () => {
      refusedBody = settlePayment();
      const answer = await pos.create(refusedBody);
      return answer.status === 503 ? answer : (await pos.command(answer.body.id, 'cancel'), false);
    }, 60_000);
    assert.equal(refused.body.code, 'capacity_exhausted');
    assert.equal(refused.headers['retry-after'], '10');
    assert.match(String(refused.headers['content-type']), /application\/problem\+json/);
    assert.equal((await pos.get(`pay:m-a:till-9:${refusedBody.pos_tid}`)).status, 404);
    // A repeat of an existing payment needs no new capacity.
    assert.equal((await pos.create({ ...settlePayment(), pos_tid: third.body.pos_tid })).status, 200);

    // The held customer approves; the capture runs while customers still wait.
    await settle.act(heldTid, 'approve');
    await pos.waitForState(held.id, 'authorized');
    const captured = await pos.command(held.id, 'capture', {});
    assert.equal(captured.status, 200, JSON.stringify(captured.body));
    assert.equal(captured.body.state, 'captured');

    // Once customers leave, new payments are taken again.
    for (const payment of [other, third.body]) assert.equal((await pos.command(payment.id, 'cancel')).status, 200);
    const accepted = await eventually('a create to be accepted again', async () => {
      const answer = await pos.create(settlePayment());
      return answer.status === 201 ? answer : false;
    }, 60_000);
    await pos.command(accepted.body.id, 'cancel');
  });

  it('waiting tills add no history: long polls on an unchanged payment cost no events, the first one included', async () => {
    const { pos } = e2e();
    const created = (await pos.create(settlePayment())).body;
    const longPoll = () => pos.get(created.id, `?wait_for_version=${created.version}&timeout=1`);
    const before = await historyLength(created.id);
    for (let i = 0; i < 5; i += 1) {
      const unchanged = await longPoll();
      assert.equal(unchanged.status, 200);
      assert.equal(unchanged.body.version, created.version);
    }
    assert.equal(await historyLength(created.id), before);

    const ahead = await pos.get(created.id, `?wait_for_version=${created.version + 5}&timeout=1`);
    assert.equal(ahead.status, 422);
    assert.deepEqual(ahead.body.errors?.map((error: { field: string }) => error.field), ['wait_for_version']);
    assert.equal(await historyLength(created.id), before);
    await pos.command(created.id, 'cancel');
  });

  it('a long poll on one ingress process wakes on a webhook delivered to another', async () => {
    const { stack, pos, settle } = e2e();
    const port = await freePort();
    const secondIngress = new ServiceProcess('src/main/ingress.ts', { ...stack.env, PORT: String(port) });
    try {
      await secondIngress.waitFor(/ingress listening/);
      const tillOnSecond = new Pos(`http://127.0.0.1:${port}`, 'key-a');
      const created = (await pos.create(settlePayment())).body;
      const tid = await scanPayment(pos, settle, created);
      const scanned = (await tillOnSecond.get(created.id)).body as Payment;

      // The till waits on the second ingress; Settle's callback reaches the first one.
      const waiting = tillOnSecond.get(created.id, `?wait_for_version=${scanned.version}&timeout=30`);
      await settle.act(tid, 'approve');
      const woken = await waiting;
      assert.equal(woken.status, 200);
      assert.ok(woken.body.version > scanned.version);
      assert.equal((await tillOnSecond.waitForState(created.id, 'captured')).captured_amount, 700);
    } finally {
      await secondIngress.stop();
    }
  });
});
