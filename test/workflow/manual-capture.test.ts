/**
 * Manual capture: the authorization is held until the POS captures (part of it) or cancels, and is
 * renewed before it lapses. Commands racing a capture or a release are staged by holding the
 * provider call in flight.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import type { FakePaymentOptions } from '../support/fake-provider';
import { refusal, type TestPayment } from '../support/test-payment';
import { useWorkflowWorld } from '../support/workflow-world';

const world = useWorkflowWorld();

/** A manual-capture payment the customer approved for 5000. */
async function authorized(options: FakePaymentOptions = {}): Promise<TestPayment> {
  const { payment } = await world().open({ capture_mode: 'manual' }, options);
  await payment.customerEngages();
  payment.provider.approve();
  const held = await payment.waitForState('authorized');
  assert.equal(held.authorized_amount, 5000);
  assert.equal(payment.provider.count('capturePayment'), 0);
  return payment;
}

describe('manual capture', () => {
  it('a partial capture is captured once; its repeat answers the same; another amount or "capture all" → invalid_state', async () => {
    const payment = await authorized();
    const captured = await payment.capture(3500);
    assert.equal(captured.state, 'captured');
    assert.equal(captured.captured_amount, 3500);
    const repeat = await payment.capture(3500);
    assert.equal(repeat.state, 'captured');
    assert.equal(repeat.version, captured.version);
    for (const amount of [4000, null]) {
      const other = await refusal(payment.capture(amount));
      assert.equal(other.code, 'invalid_state');
      assert.equal(other.payment?.captured_amount, 3500);
    }
    assert.deepEqual(payment.provider.callsOf('capturePayment').map((call) => call.args[1]), [3500]);
  });

  it('a capture above the authorization → validation_failed; in auto mode or before the authorization → invalid_state', async () => {
    const payment = await authorized();
    assert.equal((await refusal(payment.capture(5001))).code, 'validation_failed');
    const { payment: auto } = await world().open();
    assert.equal((await refusal(auto.capture(null))).code, 'invalid_state');
    const { payment: waiting } = await world().open({ capture_mode: 'manual' });
    const early = await refusal(waiting.capture(null));
    assert.equal(early.code, 'invalid_state');
    assert.equal(early.payment?.state, 'awaiting_customer');
    assert.equal(payment.provider.count('capturePayment') + auto.provider.count('capturePayment') + waiting.provider.count('capturePayment'), 0);
  });

  it('another amount while the first capture is in flight → invalid_state, never merged; the repeat shares the first’s outcome', async () => {
    const payment = await authorized();
    const held = payment.provider.holdNext('capturePayment');
    const first = payment.capture(2000);
    await held.arrived;

    const other = await refusal(payment.capture(3000));
    assert.equal(other.code, 'invalid_state');
    assert.equal(other.payment?.state, 'authorized');
    assert.equal((await refusal(payment.capture(null))).code, 'invalid_state');
    const repeat = payment.capture(2000);
    held.release();
    const [firstAnswer, repeatAnswer] = await Promise.all([first, repeat]);
    assert.equal(firstAnswer.captured_amount, 2000);
    assert.equal(repeatAnswer.captured_amount, 2000);
    assert.equal(payment.provider.count('capturePayment'), 1);
  });

  it('a capture while the cancel releases the authorization → invalid_state; cancelled, nothing captured', async () => {
    const payment = await authorized();
    const held = payment.provider.holdNext('cancelAtProvider');
    const cancelling = payment.cancel('order voided');
    await held.arrived;
    const late = await refusal(payment.capture(null));
    assert.equal(late.code, 'invalid_state');
    assert.match(late.message, /being cancelled/);
    held.release();
    assert.equal((await cancelling).state, 'cancelled');
    assert.equal(payment.provider.count('cancelAtProvider'), 1);
    assert.equal(payment.provider.count('capturePayment'), 0);
    assert.equal(payment.provider.truth.status, 'cancelled');
  });

  it('the provider refuses the capture → the payment becomes what a fresh read says', async () => {
    const payment = await authorized();
    const fake = payment.provider;
    fake.onNext('capturePayment', () => {
      fake.move({ status: 'expired', detail: 'authorization lapsed' });
      throw ApplicationFailure.nonRetryable('the authorization has lapsed', 'capture_refused');
    });
    const answer = await payment.capture(null);
    assert.equal(answer.state, 'expired');
    assert.ok(answer.timeline.some((entry) => entry.detail === 'capture refused: the authorization has lapsed'));
    assert.equal(fake.count('capturePayment'), 1);
    assert.equal(fake.count('observePayment'), 1);
  });

  it('a capture the provider refuses while the authorization stays is answered, not sent again; the next capture is a new command', async () => {
    const payment = await authorized();
    const fake = payment.provider;
    fake.refuseNext('capturePayment', 'capture_refused', 'amount not allowed');
    const capture = payment.capture(2000);
    const outcome = await Promise.race([capture.then(() => 'answered'), fake.called('capturePayment', 2).then(() => 'captured again')]);
    assert.equal(outcome, 'answered');
    assert.equal(fake.count('capturePayment'), 1);
    const answer = await capture;
    assert.equal(answer.state, 'authorized');
    assert.ok(answer.timeline.some((entry) => entry.detail === 'capture refused: amount not allowed'));
    const captured = await payment.capture(1500);
    assert.equal(captured.state, 'captured');
    assert.equal(captured.captured_amount, 1500);
    assert.equal(fake.count('capturePayment'), 2);
  });

  it('auto mode: an automatic capture the provider refuses is not tried again; the payment stays authorized until the POS cancels', async () => {
    const { payment } = await world().open({ capture_mode: 'auto' });
    const fake = payment.provider;
    fake.refuseNext('capturePayment', 'capture_refused', 'amount not allowed');
    await payment.customerEngages();
    fake.approve();
    const held = await payment.waitFor((p) => p.timeline.some((entry) => entry.detail === 'capture refused: amount not allowed'));
    assert.equal(held.state, 'authorized');
    const cancelled = await payment.cancel('the sale cannot be completed');
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(fake.count('capturePayment'), 1);
    assert.equal(fake.count('cancelAtProvider'), 1);
  });

  it('renews the authorization before it lapses, again and again, and it stays capturable', async () => {
    // Authorizations of 3 s renewed 2 s before they lapse: a renewal every ~1 s, and up to 2 s for
    // the timer, the workflow task and the call to get through a busy machine.
    const payment = await authorized({ traits: { renew_authorization_before_ms: 2000 }, authorizationValidityMs: 3000 });
    const fake = payment.provider;
    const msLeftAtRenewal: number[] = [];
    for (let renewal = 0; renewal < 3; renewal += 1) {
      fake.onNext('renewAuthorization', (call) => {
        msLeftAtRenewal.push(Date.parse(fake.truth.authorization_expires_at!) - call.at);
      });
    }
    await fake.called('renewAuthorization', 3);
    for (const msLeft of msLeftAtRenewal) assert.ok(msLeft > 0 && msLeft <= 2000, `renewed ${msLeft} ms before the authorization lapsed`);
    const captured = await payment.capture(null);
    assert.equal(captured.state, 'captured');
    assert.equal(captured.captured_amount, 5000);
    assert.equal(fake.count('capturePayment'), 1);
  });
});

describe('webhooks while authorized', () => {
  it('every webhook is read, also one within a poll interval of the last and one that arrives while the last is being read', async () => {
    // A poll interval of a minute: the customer phase's coalescing would refuse all but the first.
    const payment = await authorized({ traits: { poll_interval_ms: 60_000 } });
    const fake = payment.provider;
    const readsBefore = fake.count('observePayment');
    await payment.wake();
    await fake.called('observePayment', readsBefore + 1);

    const held = fake.holdNext('observePayment');
    await payment.wake();
    await held.arrived;
    await payment.wake();
    held.release();
    // The third webhook came while the second was being read: that read may predate its news.
    await fake.called('observePayment', readsBefore + 3);

    // Nothing changed at the provider: still authorized, and the POS's capture goes through.
    assert.equal((await payment.capture(null)).state, 'captured');
    assert.equal(fake.count('observePayment'), readsBefore + 3);
  });

  it('a webhook while the capture is at the provider is refused: the capture’s answer is the provider’s view after it', async () => {
    const payment = await authorized({ traits: { poll_interval_ms: 60_000 } });
    const fake = payment.provider;
    const readsBefore = fake.count('observePayment');
    const held = fake.holdNext('capturePayment');
    const capturing = payment.capture(null);
    await held.arrived;
    const echo = await refusal(payment.wake());
    assert.equal(echo.code, 'wake_not_needed');
    assert.equal(echo.message, 'a capture or cancel is under way: its answer is the provider’s view');
    held.release();
    assert.equal((await capturing).state, 'captured');
    assert.equal(fake.count('observePayment'), readsBefore);
  });
});
