/**
 * Provider faults are expected events: Settle's 5xx, lost answers, slow answers, cut bodies and
 * duplicate callbacks must still leave exactly one payment request and one capture at Settle.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
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
    await settle.fault({ ...CREATE, fault: 'status_503', times: 2 });
    await settle.fault({ ...CREATE, fault: 'commit_then_drop', times: 1 });
    const captured = await payWithSettle(pos, settle, payment);
    assert.equal(captured.captured_amount, 4200);
    assert.equal((await settle.requests('till-5', settlePosTid)).length, 1);
    await e2e().recordHistory('settle-faults-create', payment.id);
  });

  it('5xx and a lost answer on capture → exactly one capture', async () => {
    const { pos, settle } = e2e();
    const { payment } = await newPayment();
    const tid = await scanPayment(pos, settle, payment);
    await settle.fault({ ...UPDATE, fault: 'status_500', times: 1 });
    await settle.fault({ ...UPDATE, fault: 'commit_then_drop', times: 1 });
    await settle.act(tid, 'approve');
    const captured = await pos.waitForState(payment.id, 'captured');
    assert.equal(captured.captured_amount, 4200);
    const atSettle = await settle.request(tid);
    assert.equal(atSettle.outcome.captures.length, 1);
    assert.equal(atSettle.outcome.status_code, 2000);
    await e2e().recordHistory('settle-faults-capture', payment.id);
  });

  it('a slow create answer (beyond our request timeout) and cut outcome bodies are retried', async () => {
    const { pos, settle } = e2e();
    const { payment, settlePosTid } = await newPayment();
    await settle.fault({ ...CREATE, fault: 'delay', delay_ms: 3000, times: 1 });
    await settle.fault({ ...OUTCOME, fault: 'incomplete_body', times: 3 });
    const captured = await payWithSettle(pos, settle, payment);
    assert.equal(captured.state, 'captured');
    assert.equal((await settle.requests('till-5', settlePosTid)).length, 1);
  });

  it('duplicated callbacks are harmless: one capture', async () => {
    const { pos, settle } = e2e();
    const { payment } = await newPayment();
    await settle.duplicateCallbacks(5);
    const captured = await payWithSettle(pos, settle, payment);
    const atSettle = await settle.request(captured.provider_reference.tid!);
    assert.equal(atSettle.actions.filter((a) => a.action === 'capture').length, 1);
    assert.equal(atSettle.outcome.captures.length, 1);
  });
});
