/**
 * Providers that work in windows (SEQR): a window without payment asks the cashier to retry or
 * cancel while the poll keeps running, so a payment that completes meanwhile is still seen.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FakePaymentOptions } from '../support/fake-provider';
import { refusal } from '../support/test-payment';
import { useWorkflowWorld } from '../support/workflow-world';

const world = useWorkflowWorld();
const RETRIED = 'the cashier asked the customer to try again';
/** SEQR's traits with windows of `customer_window_ms`; 2 s leaves a busy machine time to answer inside one. */
const windows = (customer_window_ms: number): FakePaymentOptions => ({ traits: { customer_window_ms, confirms_capture: true } });
const asked = (payment: { action_required: string | null }) => payment.action_required === 'retry_or_cancel';

describe('cashier windows', () => {
  it('a window without payment asks to retry or cancel; the retry starts one new window, its repeat none; that window lapses in turn', async () => {
    const { payment } = await world().open({ provider: 'seqr' }, windows(2000));
    const question = await payment.waitFor(asked);
    assert.equal(question.state, 'awaiting_customer');

    const retried = await payment.retry();
    assert.equal(retried.action_required, null);
    const repeat = await payment.retry();
    assert.equal(repeat.version, retried.version);
    assert.equal(repeat.timeline.filter((entry) => entry.detail === RETRIED).length, 1);

    const again = await payment.waitFor(asked);
    assert.equal(again.state, 'awaiting_customer');
    assert.ok(again.version > repeat.version);
    // The cashier's question never stopped the poll: one poll for the whole wait, nothing cancelled.
    assert.equal(payment.provider.count('awaitProviderChange'), 1);
    assert.equal(payment.provider.count('cancelAtProvider'), 0);
  });

  it('a retry nobody asked for → invalid_state', async () => {
    const { payment } = await world().open({ provider: 'seqr' }, windows(60_000));
    const unasked = await refusal(payment.retry());
    assert.equal(unasked.code, 'invalid_state');
    assert.equal(unasked.payment?.action_required, null);
  });

  it('the customer pays while the cashier decides → captured, the question withdrawn, the receipt sent once; a retry now → invalid_state', async () => {
    const { payment } = await world().open({ provider: 'seqr' }, windows(300));
    await payment.waitFor(asked);
    payment.provider.capturedByProvider();
    const captured = await payment.waitForState('captured');
    assert.equal(captured.action_required, null);
    assert.equal(captured.captured_amount, 5000);
    const late = await refusal(payment.retry());
    assert.equal(late.code, 'invalid_state');
    assert.equal(late.payment?.state, 'captured');
    await payment.provider.called('confirmCapture');
    assert.equal(payment.provider.count('confirmCapture'), 1);
  });

  it('the cashier cancels instead → cancelled at the provider once, the question withdrawn', async () => {
    const { payment } = await world().open({ provider: 'seqr' }, windows(300));
    await payment.waitFor(asked);
    const cancelled = await payment.cancel('customer pays cash');
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.action_required, null);
    assert.deepEqual(await payment.result(), cancelled);
    assert.equal(payment.provider.count('cancelAtProvider'), 1);
  });
});
