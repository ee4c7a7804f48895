/**
 * Contract points whose timing is the point (shared/spec/pos-api.md), with the provider scripted:
 * a late authorization is released for every provider, whether it comes back on the POS's cancel
 * or on the customer timeout's; and an `Idempotency-Key` is remembered for its configured time,
 * then free for another payment. Races are staged with the fake provider's hooks, never delays.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { HttpProblem } from '../../src/ingress/problem';
import { PaymentGateway } from '../../src/ingress/payment-gateway';
import { PROVIDER_PROFILES } from '../support/provider-profiles';
import { paymentRequest, useWorkflowWorld } from '../support/workflow-world';

const world = useWorkflowWorld();
const states = (payment: { timeline: { state: string }[] }) => payment.timeline.map((entry) => entry.state);

describe('a late authorization is released, for every provider', () => {
  for (const [provider, profile] of Object.entries(PROVIDER_PROFILES)) {
    it(`${provider}: the provider answers the POS's cancel with a fresh hold → released, cancelled, never captured`, async () => {
      const { payment } = await world().open({ provider }, profile);
      const fake = payment.provider;
      await payment.customerEngages();
      fake.onNext('cancelAtProvider', () => {
        fake.approve();
        return fake.truth;
      });

      const answer = await payment.cancel('customer walked away');
      assert.equal(answer.state, 'cancelled');
      assert.equal(answer.captured_amount, 0);
      assert.equal(fake.count('cancelAtProvider'), 2, 'the hold is released by a second cancel');
      assert.equal(fake.count('capturePayment'), 0);
      assert.equal(fake.truth.status, 'cancelled');
      const final = await payment.result();
      assert.equal(final.state, 'cancelled');
      assert.ok(!states(final).includes('captured'));
      assert.equal(fake.count('capturePayment'), 0);
    });

    it(`${provider}: the provider answers the customer timeout's cancel with a fresh hold → the payment ends as the provider says, no hold kept`, async () => {
      const { payment } = await world().open({ provider, timeout_seconds: 2 }, profile);
      const fake = payment.provider;
      await payment.customerEngages();
      fake.onNext('cancelAtProvider', () => {
        fake.approve();
        return fake.truth;
      });

      const ended = await payment.waitFor((p) => ['captured', 'expired', 'cancelled'].includes(p.state));
      assert.notEqual(fake.truth.status, 'authorized', `a hold is kept at the provider: ${JSON.stringify(ended.timeline)}`);
      assert.equal(ended.state === 'captured', fake.truth.status === 'captured', `payment ${ended.state}, provider ${fake.truth.status}`);
      if (ended.state !== 'captured') {
        assert.equal(fake.count('cancelAtProvider'), 2, 'the hold is released by a second cancel');
        assert.equal(fake.count('capturePayment'), 0);
      }
    });
  }
});

describe('Idempotency-Key memory', () => {
  it('a key is bound to its payment while remembered; once its time is over, another payment may claim it', async () => {
    const { client } = world();
    // The payments' task queue, where the key workflow runs as in production.
    const { payment } = await world().open();
    const { taskQueue } = await payment.handle.describe();
    await payment.cancel(null);
    const gateway = new PaymentGateway(client, new AbortController().signal, taskQueue, 10_000);
    const key = `key-${Date.now()}`;
    const first = paymentRequest();
    const second = paymentRequest();
    const rememberMs = 1500;
    const refused = async (claim: Promise<void>) => {
      await assert.rejects(claim, (error: unknown) => error instanceof HttpProblem && error.status === 409 && error.code === 'idempotency_conflict');
    };

    await gateway.claimIdempotencyKey('m-test', key, first, rememberMs);
    await gateway.claimIdempotencyKey('m-test', key, first, rememberMs);
    await refused(gateway.claimIdempotencyKey('m-test', key, second, rememberMs));
    // Keys are per merchant.
    await gateway.claimIdempotencyKey('m-other', key, second, rememberMs);

    // The key's own workflow ends when its time is over (no sleeping here: its end is awaited).
    const keyWorkflow = client.workflow.getHandle(`idem:m-test:${createHash('sha256').update(key).digest('base64url')}`);
    await keyWorkflow.result();

    await gateway.claimIdempotencyKey('m-test', key, second, rememberMs);
    await refused(gateway.claimIdempotencyKey('m-test', key, first, rememberMs));
  });
});
