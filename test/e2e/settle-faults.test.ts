/**
 * Provider faults are expected events: Settle's 5xx, lost answers, slow answers, cut bodies and
 * duplicate callbacks must still leave exactly one payment request and one capture at Settle.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { call, eventually } from '../support/http';
import { newTid } from '../support/pos';
import { payWithSettle, scanPayment } from '../support/settle-customer';

const e2e = useStack();
const CREATE = { method: 'POST', path_pattern: '^/merchant/v1/payment_request/$' };
const UPDATE = { method: 'PUT', path_pattern: '^/merchant/v1/payment_request/[^/]+/$' };
const OUTCOME = { method: 'GET', path_pattern: '^/merchant/v1/payment_request/[^/]+/outcome/$' };

async function newPayment() {
  const { pos } = e2e();
  const posTid = newTid();
  const payment = (await pos.create({ provider: 'settle', pos_id: 'till-5', pos_tid: posTid, amount: 4200, currency: 'EUR' })).body;
  return { payment, settlePosTid: `m-a.${posTid}` };
}

describe('Settle faults', () => {
  afterEach(() => e2e().settle.clearFaults());

  it('5xx twice, then a lost answer on create → exactly one payment request, payment captured', async () => {
    const { pos, settle } = e2e();
    const { payment, settlePosTid } = await newPayment();
    const unavailable = await settle.fault({ ...CREATE, fault: 'status_503', times: 2 });
    const lost = await settle.fault({ ...CREATE, fault: 'commit_then_drop', times: 1 });
    const captured = await payWithSettle(pos, settle, payment);
    assert.equal(captured.captured_amount, 4200);
    // Each injected fault struck a create of this payment, in order: two 503s, then the lost answer.
    const struck = [...(await settle.control.assertFired(unavailable, 2)), ...(await settle.control.assertFired(lost, 1))];
    assert.deepEqual(struck.map((r) => r.kind), ['status_503', 'status_503', 'commit_then_drop']);
    assert.equal((await settle.requests('till-5', settlePosTid)).length, 1);
    await e2e().recordHistory('settle-faults-create', payment.id);
  });

  it('5xx and a lost answer on capture → exactly one capture', async () => {
    const { pos, settle } = e2e();
    const { payment } = await newPayment();
    const tid = await scanPayment(pos, settle, payment);
    const failing = await settle.fault({ ...UPDATE, fault: 'status_500', times: 1 });
    const lost = await settle.fault({ ...UPDATE, fault: 'commit_then_drop', times: 1 });
    await settle.act(tid, 'approve');
    const captured = await pos.waitForState(payment.id, 'captured');
    assert.equal(captured.captured_amount, 4200);
    // Both struck a PUT on this payment request (the capture), so the capture really was retried.
    for (const request of [...(await settle.control.assertFired(failing)), ...(await settle.control.assertFired(lost))]) {
      assert.equal(request.path, `/merchant/v1/payment_request/${tid}/`);
    }
    const atSettle = await settle.request(tid);
    assert.equal(atSettle.outcome.captures.length, 1);
    assert.equal(atSettle.outcome.status_code, 2000);
    await e2e().recordHistory('settle-faults-capture', payment.id);
  });

  it('a slow create answer (beyond our request timeout) and cut outcome bodies are retried', async () => {
    const { pos, settle } = e2e();
    const { payment, settlePosTid } = await newPayment();
    const slow = await settle.fault({ ...CREATE, fault: 'delay', delay_ms: 3000, times: 1 });
    const cut = await settle.fault({ ...OUTCOME, fault: 'incomplete_body', times: 3 });
    const captured = await payWithSettle(pos, settle, payment);
    assert.equal(captured.state, 'captured');
    // The slow create and all three cut outcome bodies happened before the payment was captured.
    await settle.control.assertFired(slow);
    const cutReads = await settle.control.assertFired(cut, 3);
    assert.ok(cutReads.every((r) => r.path === `/merchant/v1/payment_request/${captured.provider_reference.tid}/outcome/`), JSON.stringify(cutReads));
    assert.equal((await settle.requests('till-5', settlePosTid)).length, 1);
  });

  it('duplicated callbacks are harmless: one capture', async () => {
    const { pos, settle } = e2e();
    const { payment } = await newPayment();
    await settle.duplicateCallbacks(5);
    const captured = await payWithSettle(pos, settle, payment);
    const tid = captured.provider_reference.tid!;
    // The duplicates were really sent, and answered, for this payment's callbacks.
    const duplicates = await eventually('duplicated callbacks of this payment to be answered', async () => {
      const log = await call<{ tid: string; duplicate: boolean; status: number | null }[]>('GET', `${settle.sandboxUrl}/_sandbox/callbacks`);
      const copies = log.body.filter((entry) => entry.tid === tid && entry.duplicate);
      return copies.length > 0 ? copies : undefined;
    });
    assert.ok(duplicates.every((entry) => entry.status !== null && entry.status < 300), JSON.stringify(duplicates));
    const atSettle = await settle.request(tid);
    assert.equal(atSettle.actions.filter((a) => a.action === 'capture').length, 1);
    assert.equal(atSettle.outcome.captures.length, 1);
  });
});
