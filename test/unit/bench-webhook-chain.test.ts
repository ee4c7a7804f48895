/**
 * The bench's account of webhook → till: which events of a payment's history mark the poll's
 * answer, the workflow task that takes it, and the memo with the new state.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { historyTimes } from '../../bench/webhook-chain';
import { HISTORIES_ROOT } from '../support/histories';

// A Settle payment recorded end to end: the poll (event 31, on payments-waits) answers with the
// approval at event 33, workflow task 34–36 takes it, and event 37 publishes `authorized`.
const recorded = JSON.parse(readFileSync(join(HISTORIES_ROOT, '0.6.0', 'settle-auto-capture.json'), 'utf8')) as { events: { eventId: string; eventTime: string }[] };
const events = historyFromJSON(recorded).events ?? [];
/** An event's time as the JSON spells it, read independently of the code under test. */
const time = (eventId: number) => Date.parse(recorded.events.find((event) => Number(event.eventId) === eventId)!.eventTime);

describe('bench: the webhook → till chain from a history', () => {
  it("finds the poll's answer after the approval, the workflow task that starts next and the memo it writes", () => {
    assert.deepEqual(historyTimes(events, 'payments-waits', time(32)), { pollAnswered: time(33), taskStarted: time(35), memoChanged: time(37) });
  });

  it('finds nothing when no poll answered after the approval, or when the waits queue is another', () => {
    assert.equal(historyTimes(events, 'payments-waits', time(33) + 1), null);
    assert.equal(historyTimes(events, 'other-waits', time(32)), null);
  });
});
