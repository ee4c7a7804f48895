/**
 * A payment started now carries one release marker instead of one marker per patch (each marker is
 * a history event and a search-attribute upsert), and still takes every patched behaviour.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { PAYMENT_MEMO } from '../../workflows/messages';
import { RELEASE_MARKER } from '../../workflows/patches';
import { useWorkflowWorld } from '../support/workflow-world';

const world = useWorkflowWorld();

describe('patch markers', () => {
  it('a new payment records the release marker once and no marker per patch', async () => {
    const { payment } = await world().open();
    // The poll only starts on the waits task queue (its own worker here): the first patch holds.
    await payment.customerEngages();
    payment.provider.capturedByProvider();
    await payment.waitForState('captured');

    const history = await payment.handle.fetchHistory();
    const patchIds = (history.events ?? []).flatMap((event) => {
      const marker = event.markerRecordedEventAttributes;
      if (marker?.markerName !== 'core_patch') return [];
      const data = marker.details?.['patch-data']?.payloads?.[0];
      return data ? [defaultPayloadConverter.fromPayload<{ id: string }>(data).id] : [];
    });
    assert.deepEqual(patchIds, [RELEASE_MARKER]);
    assert.ok((await payment.handle.describe()).memo?.[PAYMENT_MEMO], 'the resource is in the memo');
  });
});
