/** The poll's cadence is a rate, and its heartbeats are paced (activities/poll-pacing.ts). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextReadDue, pacedHeartbeat } from '../../activities/poll-pacing';

describe('nextReadDue', () => {
  it('keeps the rate: a read that took 200 ms of a 1 s cadence does not push the next one back', () => {
    assert.equal(nextReadDue(10_000, 10_000, 1_000, 10_200), 11_000);
  });

  it('keeps the phase when the timer fired late', () => {
    assert.equal(nextReadDue(10_000, 10_150, 1_000, 10_300), 11_000);
  });

  it('skips ticks already past instead of reading in a burst', () => {
    assert.equal(nextReadDue(10_000, 10_000, 1_000, 12_500), 13_000);
    assert.equal(nextReadDue(10_000, 10_000, 1_000, 11_000), 12_000, 'a tick that is due this very moment is past too');
  });

  it('starts again from a read a webhook nudged early', () => {
    assert.equal(nextReadDue(10_000, 9_400, 1_000, 9_450), 10_400);
  });
});

describe('pacedHeartbeat', () => {
  it('passes the first heartbeat on, then at most one per interval', () => {
    let clock = 0;
    let sent = 0;
    const heartbeat = pacedHeartbeat(() => sent++, 5_000, () => clock);
    const at: number[] = [];
    for (clock = 0; clock <= 20_000; clock += 1_000) {
      const before = sent;
      heartbeat();
      if (sent > before) at.push(clock);
    }
    assert.deepEqual(at, [0, 5_000, 10_000, 15_000, 20_000]);
  });

  it('passes every heartbeat on when there is no interval (no heartbeat timeout)', () => {
    let sent = 0;
    const heartbeat = pacedHeartbeat(() => sent++, 0, () => 42);
    for (let i = 0; i < 3; i++) heartbeat();
    assert.equal(sent, 3);
  });
});
