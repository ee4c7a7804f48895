/**
 * The customer phase, with the provider scripted: set-up, the cancel racing the customer, the
 * customer timeout, webhook wakes and the long poll. Races are staged at the moment the other
 * request reaches the provider (hooks), never with delays.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PROVIDER_PROFILES } from '../support/provider-profiles';
import { refusal } from '../support/test-payment';
import { useWorkflowWorld } from '../support/workflow-world';
import { defaultPlugins } from '../../src/providers';

const world = useWorkflowWorld();
const states = (payment: { timeline: { state: string }[] }) => payment.timeline.map((entry) => entry.state);

describe('set-up', () => {
  it('open answers with the QR shown; the same request again → created false; another request under the same ids → idempotency_conflict', async () => {
    const { payment, opened } = await world().open();
    assert.equal(opened.created, true);
    assert.equal(opened.payment.state, 'awaiting_customer');
    assert.equal(opened.payment.qr?.content, `fake://pay/${opened.payment.pos_tid}`);

    const again = await world().reopen(payment, payment.provider.request);
    assert.equal(again.created, false);
    assert.equal(again.payment.id, opened.payment.id);

    const other = await refusal(world().reopen(payment, { ...payment.provider.request, amount: 6000 }));
    assert.equal(other.code, 'idempotency_conflict');
    assert.equal(other.payment?.amount, 5000);
    assert.equal(payment.provider.count('preparePayment'), 1);
  });

  it('the version grows by one on every visible change: a provider answer that moves amounts and state together is one', async () => {
    const { payment } = await world().open();
    await payment.customerEngages();
    payment.provider.approve();
    const captured = await payment.waitForState('captured');
    // Every change of this payment is a timeline entry; the authorization and the capture each move
    // the amounts and the state at once.
    assert.equal(captured.version, captured.timeline.length);
    assert.deepEqual(captured.timeline.slice(-2).map((entry) => entry.state), ['authorized', 'captured']);
  });

  it('the provider refuses the set-up → failed with its failure code, no QR, and the workflow completes', async () => {
    const { payment, opened } = await world().open({}, { arrange: (provider) => provider.refuseNext('preparePayment', 'provider_invalid_request', 'amount too small') });
    assert.equal(opened.payment.state, 'failed');
    assert.deepEqual(opened.payment.failure, { code: 'provider_invalid_request', message: 'amount too small' });
    assert.equal(opened.payment.qr, null);
    assert.equal((await payment.result()).state, 'failed');
  });

  it('the provider declines before there is anything to show → rejected at once, no QR', async () => {
    const declined = { status: 'rejected', authorized_amount: 0, captured_amount: 0, refunded_amount: 0, authorization_expires_at: null, reference: {}, failure: { code: 'not_eligible', message: 'not eligible' }, detail: 'declined' } as const;
    const { payment, opened } = await world().open({}, { setup: { declined } });
    assert.equal(opened.payment.state, 'rejected');
    assert.equal(opened.payment.qr, null);
    assert.equal(opened.payment.failure?.code, 'not_eligible');
    assert.equal((await payment.result()).state, 'rejected');
  });
});

describe('cancel racing the customer', () => {
  it('has a profile for every built-in provider', () => {
    assert.deepEqual(Object.keys(PROVIDER_PROFILES).sort(), defaultPlugins.map((plugin) => plugin.name).sort());
  });

  for (const [provider, profile] of Object.entries(PROVIDER_PROFILES)) {
    it(`${provider}: the customer paid while the cancel was on its way → captured, never cancelled, nothing captured by us`, async () => {
      const { payment } = await world().open({ provider }, profile);
      const fake = payment.provider;
      await payment.customerEngages();
      fake.onNext('cancelAtProvider', () => fake.capturedByProvider());

      const answer = await payment.cancel('customer pays cash');
      assert.equal(answer.state, 'captured');
      assert.equal(answer.captured_amount, 5000);
      assert.equal(fake.count('cancelAtProvider'), 1);
      assert.equal(fake.count('capturePayment'), 0);
      if (profile.traits?.confirms_capture) await fake.called('confirmCapture');
      if (profile.traits?.finishes_at_provider) await fake.called('finishAtProvider');
      assert.equal(fake.count('confirmCapture'), profile.traits?.confirms_capture ? 1 : 0);
      assert.equal(fake.count('finishAtProvider'), profile.traits?.finishes_at_provider ? 1 : 0);
    });
  }

  it('the provider authorized while the cancel was on its way → that late authorization is released, never captured', async () => {
    const { payment } = await world().open();
    const fake = payment.provider;
    await payment.customerEngages();
    // The cancel reaches a charge the customer has just approved: the provider answers with the hold.
    fake.onNext('cancelAtProvider', () => {
      fake.approve();
      return fake.truth;
    });

    const answer = await payment.cancel(null);
    assert.equal(answer.state, 'cancelled');
    assert.deepEqual(states(answer), ['pending', 'awaiting_customer', 'authorized', 'cancelled']);
    assert.equal(fake.count('cancelAtProvider'), 2);
    assert.equal(fake.count('capturePayment'), 0);
    assert.equal(fake.truth.status, 'cancelled');
    assert.equal((await payment.result()).state, 'cancelled');
  });

  it('the cancel wins: the charge is aborted once → cancelled, and the workflow completes', async () => {
    const { payment } = await world().open();
    await payment.customerEngages();
    const cancelled = await payment.cancel('customer left');
    assert.equal(cancelled.state, 'cancelled');
    assert.equal(cancelled.qr, null);
    assert.equal(cancelled.timeline.at(-1)?.detail, 'customer left');
    assert.deepEqual(await payment.result(), cancelled);
    assert.equal(payment.provider.count('cancelAtProvider'), 1);
    assert.equal(payment.provider.truth.status, 'cancelled');
  });

  it('a cancel before any charge exists → cancelled without a provider call; so does the operator’s signal', async () => {
    const { payment } = await world().open({}, { setup: 'token' });
    assert.equal((await payment.cancel(null)).state, 'cancelled');
    const { payment: other } = await world().open({}, { setup: 'token' });
    await other.operatorCancel('stuck till');
    const final = await other.result();
    assert.equal(final.state, 'cancelled');
    assert.equal(final.timeline.at(-1)?.detail, 'stuck till');
    assert.equal(payment.provider.count('cancelAtProvider') + other.provider.count('cancelAtProvider'), 0);
  });
});

describe('customer timeout', () => {
  it('no charge at the provider → expired without a provider call', async () => {
    const { payment } = await world().open({ timeout_seconds: 1 }, { setup: 'token' });
    const final = await payment.result();
    assert.equal(final.state, 'expired');
    assert.equal(final.qr, null);
    assert.equal(final.timeline.at(-1)?.detail, 'the customer did not complete in time');
    assert.equal(payment.provider.count('cancelAtProvider'), 0);
  });

  it('a charge at the provider → aborted once → expired', async () => {
    const { payment } = await world().open({ timeout_seconds: 1 });
    const final = await payment.result();
    assert.equal(final.state, 'expired');
    assert.equal(payment.provider.count('cancelAtProvider'), 1);
    assert.equal(payment.provider.truth.status, 'cancelled');
  });

  it('the customer paid as the timeout’s abort went out → captured', async () => {
    const { payment } = await world().open({ timeout_seconds: 1 });
    payment.provider.onNext('cancelAtProvider', () => payment.provider.capturedByProvider());
    const captured = await payment.waitForState('captured');
    assert.equal(captured.captured_amount, 5000);
    assert.equal(payment.provider.count('cancelAtProvider'), 1);
    assert.equal(payment.provider.count('capturePayment'), 0);
  });
});

describe('webhooks and the long poll', () => {
  it('the customer’s token starts the charge once; the token again is refused as not needed', async () => {
    const { payment } = await world().open({}, { setup: 'token' });
    await payment.customerEngages('token-1');
    const again = await refusal(payment.wake({ kind: 'customer_token', event: 'scan', token: 'token-2' }));
    assert.equal(again.code, 'wake_not_needed');
    assert.deepEqual(payment.provider.callsOf('engageCustomer').map((call) => call.args[1]), ['token-1']);
  });

  it('the provider refuses the charge for the customer’s token → failed with its failure code, and the workflow completes', async () => {
    const { payment } = await world().open({}, { setup: 'token', arrange: (provider) => provider.refuseNext('engageCustomer', 'customer_blocked', 'the customer is blocked') });
    await payment.wake({ kind: 'customer_token', event: 'scan', token: 'token-1' });
    const final = await payment.result();
    assert.equal(final.state, 'failed');
    assert.deepEqual(final.failure, { code: 'customer_blocked', message: 'the customer is blocked' });
    assert.equal(payment.provider.count('engageCustomer'), 1);
    assert.equal(payment.provider.count('cancelAtProvider'), 0);
  });

  it('the durable fallback of a webhook (the provider signal, when no worker answered the wake) starts the charge too', async () => {
    const { payment } = await world().open({}, { setup: 'token' });
    await payment.signalProvider({ kind: 'customer_token', event: 'scan', token: 'token-1' });
    await payment.provider.called('awaitProviderChange');
    assert.deepEqual(payment.provider.callsOf('engageCustomer').map((call) => call.args[1]), ['token-1']);
    payment.provider.capturedByProvider();
    assert.equal((await payment.waitForState('captured')).captured_amount, 5000);
  });

  it('a wake while the poll runs nudges it from the validator and is refused: no history, no workflow task, the poll never restarted', async () => {
    const { payment } = await world().open({}, { traits: { poll_interval_ms: 60_000 } });
    const fake = payment.provider;
    await fake.called('awaitProviderChange');
    const nudged = await refusal(payment.wake());
    assert.equal(nudged.code, 'wake_not_needed');
    assert.equal(nudged.message, 'the running poll reads the provider now');
    await fake.called('nudgePoll');
    // Every webhook nudges (a burst costs the poll at most two reads): no interval to wait out.
    await refusal(payment.wake());
    await fake.called('nudgePoll', 2);
    assert.equal(fake.count('awaitProviderChange'), 1);

    fake.capturedByProvider();
    await payment.waitForState('captured');
    const paid = await refusal(payment.wake());
    assert.equal(paid.code, 'wake_not_needed');
    assert.equal(paid.message, 'the payment is captured: nothing waits on the provider');
    assert.equal(fake.count('nudgePoll'), 2);
    const history = await payment.handle.fetchHistory();
    const accepted = (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'wake');
    assert.equal(accepted.length, 0, 'no wake was accepted');
    assert.equal((history.events ?? []).filter((event) => event.markerRecordedEventAttributes?.markerName === 'core_local_activity').length, 0, 'no local activity ran');
  });

  it('the long poll: a version the payment has not reached is refused; a change answers it at once', async () => {
    const { payment, opened } = await world().open();
    const beyond = await refusal(payment.waitForChange(opened.payment.version + 1));
    assert.equal(beyond.code, 'validation_failed');

    const waiting = await payment.startWaitingForChange(opened.payment.version);
    await payment.provider.called('awaitProviderChange');
    payment.provider.approve();
    const changed = await waiting.result();
    assert.ok(changed.version > opened.payment.version, `version ${changed.version} after ${opened.payment.version}`);
    assert.notEqual(changed.state, 'awaiting_customer');
  });

  it('the long poll stays unanswered through a wake that changes nothing; the expiry answers it', async () => {
    const { payment, opened } = await world().open({ timeout_seconds: 2 }, { setup: 'token' });
    const waiting = await payment.startWaitingForChange(opened.payment.version);
    await payment.wake();
    const early = await Promise.race([waiting.result().then(() => 'answered'), payment.read().then(() => 'unanswered')]);
    assert.equal(early, 'unanswered');
    assert.equal((await waiting.result()).state, 'expired');
  });
});
