import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { describe, it } from 'node:test';
import { pause } from '../../activities/pause';

const never = new Promise<void>(() => undefined);

describe("the poll's pause between reads", () => {
  it('ends when its time is up, leaving no listener on the cancellation signal', async () => {
    const activity = new AbortController();
    for (let read = 0; read < 50; read += 1) await pause(activity.signal, 1, never);
    assert.equal(getEventListeners(activity.signal, 'abort').length, 0);
  });

  it('ends at once when nudged, long before its time, and leaves nothing behind', async () => {
    const activity = new AbortController();
    for (let read = 0; read < 50; read += 1) await pause(activity.signal, 60_000, Promise.resolve());
    assert.equal(getEventListeners(activity.signal, 'abort').length, 0);
  });

  it('rejects with the activity\'s cancellation, while pausing or already cancelled', async () => {
    const activity = new AbortController();
    const cancelled = new Error('activity cancelled');
    const pausing = pause(activity.signal, 60_000, never);
    activity.abort(cancelled);
    await assert.rejects(pausing, (error) => error === cancelled);
    await assert.rejects(pause(activity.signal, 60_000, never), (error) => error === cancelled);
  });
});
