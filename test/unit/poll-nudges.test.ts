/** The nudge a webhook gives a payment's poll: it ends a sleep, or waits a few seconds for the poll to sleep. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PollNudges } from '../../activities/poll-nudges';

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => { done = true; });
  await new Promise<void>((resolve) => setImmediate(resolve));
  return done;
};

describe('poll nudges', () => {
  it('a nudge ends the sleep of that payment\'s poll only', async () => {
    const nudges = new PollNudges();
    const mine = nudges.register('pay:a');
    const other = nudges.register('pay:b');
    assert.equal(nudges.nudge('pay:a'), true);
    assert.equal(await settled(mine.nudged), true);
    assert.equal(await settled(other.nudged), false);
    mine.release();
    other.release();
    assert.equal(nudges.size, 0);
  });

  it('a nudge that finds no sleeping poll makes its next sleep end at once, once', async () => {
    const nudges = new PollNudges();
    assert.equal(nudges.nudge('pay:a'), false);
    const first = nudges.register('pay:a');
    assert.equal(await settled(first.nudged), true);
    first.release();
    const second = nudges.register('pay:a');
    assert.equal(await settled(second.nudged), false);
    second.release();
  });

  it('an unclaimed nudge expires, and the oldest is forgotten beyond capacity', async () => {
    let now = 0;
    const nudges = new PollNudges(5_000, 2, () => now);
    nudges.nudge('pay:late');
    now = 5_001;
    const late = nudges.register('pay:late');
    assert.equal(await settled(late.nudged), false);
    late.release();

    nudges.nudge('pay:1');
    nudges.nudge('pay:2');
    nudges.nudge('pay:3');
    const evicted = nudges.register('pay:1');
    assert.equal(await settled(evicted.nudged), false);
    evicted.release();
    const kept = nudges.register('pay:3');
    assert.equal(await settled(kept.nudged), true);
  });
});
