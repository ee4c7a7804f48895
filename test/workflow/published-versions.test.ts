/**
 * The payment publishes every version of its resource in its memo (PAYMENT_MEMO), which is what the
 * ingress reads and long-polls without a worker: each version exactly once, in the same workflow task
 * as the change, and a resource too large for the memo only by its version.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { MEMO_BUDGET_CHARS, PAYMENT_MEMO, type PublishedPayment } from '../../workflows/messages';
import type { TestPayment } from '../support/test-payment';
import { useWorkflowWorld } from '../support/workflow-world';

const world = useWorkflowWorld();

/** What the memo holds now, as Temporal serves it to the ingress (describe). */
async function memoOf(payment: TestPayment): Promise<PublishedPayment | undefined> {
  return (await payment.handle.describe()).memo?.[PAYMENT_MEMO] as PublishedPayment | undefined;
}

/** Every version the history published, in order. */
async function publishedVersions(payment: TestPayment): Promise<PublishedPayment[]> {
  const history = await payment.handle.fetchHistory();
  return (history.events ?? []).flatMap((event) => {
    const field = event.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields?.[PAYMENT_MEMO];
    return field ? [defaultPayloadConverter.fromPayload<PublishedPayment>(field)] : [];
  });
}

describe('the payment published in its memo', () => {
  it('holds the resource the workflow answers, at every step, and each version is published once', async () => {
    const { payment, opened } = await world().open();
    assert.deepEqual(await memoOf(payment), opened.payment);
    await payment.customerEngages();
    payment.provider.capturedByProvider();
    const captured = await payment.waitForState('captured');
    assert.deepEqual(await memoOf(payment), captured);

    const versions = (await publishedVersions(payment)).map((published) => published.version);
    assert.deepEqual(versions, Array.from({ length: captured.version }, (_, index) => index + 1));
  });

  it('a cancelled payment: the memo after the workflow completed is its result', async () => {
    const { payment } = await world().open();
    await payment.cancel('the customer left');
    const result = await payment.result();
    assert.equal(result.state, 'cancelled');
    assert.deepEqual(await memoOf(payment), result);
  });

  it('past the memo budget, only the version is published, and the workflow still answers the resource', async () => {
    const { payment } = await world().open({ amount: 100_000 });
    await payment.customerEngages();
    payment.provider.capturedByProvider();
    await payment.waitForState('captured');
    let current = await payment.read();
    for (let refund = 1; JSON.stringify(current).length <= MEMO_BUDGET_CHARS; refund += 1) {
      current = (await payment.refund(1, `small-${refund}`)).payment;
    }
    assert.deepEqual(await memoOf(payment), { id: payment.id, version: current.version, omitted: true });
    assert.deepEqual(await payment.read(), current);
  });
});
