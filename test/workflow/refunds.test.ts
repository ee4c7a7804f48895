/**
 * Refunds on a captured payment and the end of its refund window. Concurrent refunds are staged by
 * holding the first at the provider, and also sent truly at once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { FakePaymentOptions } from '../support/fake-provider';
import { PROVIDER_PROFILES } from '../support/provider-profiles';
import { refusal, refusalOf, type TestPayment } from '../support/test-payment';
import { useWorkflowWorld } from '../support/workflow-world';

const world = useWorkflowWorld();

/** A payment of `amount` the customer paid and the provider captured. */
async function captured(amount: number, options: FakePaymentOptions = {}): Promise<TestPayment> {
  const { payment } = await world().open({ amount }, options);
  await payment.customerEngages();
  payment.provider.capturedByProvider();
  await payment.waitForState('captured');
  return payment;
}

const refundsAtProvider = (payment: TestPayment) => payment.provider.callsOf('refundPayment').map((call) => call.args[1]);

describe('refunds', () => {
  it('two refunds sent at once that together exceed the captured amount: exactly one succeeds', async () => {
    const payment = await captured(2000);
    const outcomes = await Promise.all([payment.refund(1500, 'race-a'), payment.refund(1500, 'race-b')]
      .map((refund) => refund.then(() => 'succeeded', (error: unknown) => refusalOf(error).code)));
    assert.deepEqual(outcomes.sort(), ['refund_exceeds_captured', 'succeeded']);
    const final = await payment.read();
    assert.equal(final.state, 'partially_refunded');
    assert.equal(final.refunded_amount, 1500);
    assert.equal(final.refunds.length, 1);
    assert.equal(payment.provider.count('refundPayment'), 1);
  });

  it('while a refund is in flight at the provider, one that exceeds what it leaves → refund_exceeds_captured', async () => {
    const payment = await captured(2000);
    const held = payment.provider.holdNext('refundPayment');
    const first = payment.refund(1500, 'held');
    await held.arrived;
    const second = await refusal(payment.refund(501, 'too-much'));
    assert.equal(second.code, 'refund_exceeds_captured');
    const rest = payment.refund(500, 'the-rest');
    held.release();
    assert.equal((await first).refund.state, 'succeeded');
    assert.equal((await rest).payment.state, 'refunded');
    assert.deepEqual(refundsAtProvider(payment), [{ refund_id: 'held', amount: 1500 }, { refund_id: 'the-rest', amount: 500 }]);
  });

  it('the same refund_id and amount → the same refund, even while in flight; another amount → idempotency_conflict; the provider is asked once', async () => {
    const payment = await captured(3000);
    const held = payment.provider.holdNext('refundPayment');
    const first = payment.refund(500, 'r1');
    await held.arrived;
    const repeatInFlight = payment.refund(500, 'r1');
    held.release();
    const [firstAnswer, repeatAnswer] = await Promise.all([first, repeatInFlight]);
    assert.equal(firstAnswer.refund.state, 'succeeded');
    assert.deepEqual(repeatAnswer.refund, firstAnswer.refund);
    assert.deepEqual((await payment.refund(500, 'r1')).refund, firstAnswer.refund);

    const conflict = await refusal(payment.refund(600, 'r1'));
    assert.equal(conflict.code, 'idempotency_conflict');
    assert.equal(conflict.payment?.refunded_amount, 500);
    assert.deepEqual(refundsAtProvider(payment), [{ refund_id: 'r1', amount: 500 }]);
  });

  it('a provider that refunds only the whole payment: a partial refund → partial_refund_unsupported; the whole → refunded', async () => {
    const payment = await captured(3000, PROVIDER_PROFILES.paysera);
    assert.equal((await refusal(payment.refund(1000))).code, 'partial_refund_unsupported');
    const whole = await payment.refund(3000, 'all');
    assert.equal(whole.payment.state, 'refunded');
    assert.equal(payment.provider.count('refundPayment'), 1);
  });

  it('a refund the provider refuses → failed, and the amount can be refunded again', async () => {
    const payment = await captured(3000);
    payment.provider.refuseNext('refundPayment', 'refund_declined', 'card closed');
    const declined = await payment.refund(3000, 'first');
    assert.equal(declined.refund.state, 'failed');
    assert.deepEqual(declined.refund.failure, { code: 'refund_declined', message: 'card closed' });
    assert.equal(declined.payment.state, 'captured');
    assert.equal(declined.payment.refunded_amount, 0);
    assert.equal((await payment.refund(3000, 'second')).payment.state, 'refunded');
  });

  it('a refund before the capture → invalid_state, naming the state', async () => {
    const { payment } = await world().open();
    const early = await refusal(payment.refund(100));
    assert.equal(early.code, 'invalid_state');
    assert.equal(early.payment?.state, 'awaiting_customer');
  });

  it('the refund window ends: the workflow completes with the final payment, a waiting long poll gets it, later refunds are refused', async () => {
    const payment = await captured(3000, { traits: { refund_window_ms: 1500 } });
    const { payment: refunded } = await payment.refund(1000, 'in-window');
    const waiting = await payment.startWaitingForChange(refunded.version);
    const final = await payment.result();
    assert.equal(final.state, 'partially_refunded');
    assert.equal(final.refunded_amount, 1000);
    assert.deepEqual(await waiting.result(), final);
    // The workflow is over: later commands are the ingress's to answer from this final payment.
    await assert.rejects(payment.refund(1000, 'too-late'), WorkflowNotFoundError);
    assert.equal(payment.provider.count('refundPayment'), 1);
  });
});
