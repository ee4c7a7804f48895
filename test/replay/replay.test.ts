/**
 * Determinism guard: every history recorded by every release (test/histories/<release>/, recorded
 * from the end-to-end flows with RECORD_HISTORIES=1) must replay against the current workflow code
 * without divergence. Payments stay open for months, so a release that cannot replay an earlier
 * release's histories would break payments in flight.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { PollNudges } from '../../activities/poll-nudges';
import { WORKFLOW_TRACING_MODULES } from '../../src/observability/tracing';
import { WorkerMetrics } from '../../src/observability/worker-metrics';
import { paymentWorkflowSinks, WORKFLOWS_PATH } from '../../src/worker';
import { corpusTampering, recordedHistories, RELEASE } from '../support/histories';

const recorded = recordedHistories();

describe('replay of recorded histories', () => {
  it('has the recorded histories of every release, this one included', () => {
    const releases = new Set(recorded.map((history) => history.release));
    // A release that changes the version records its flows (npm run test:record-histories) before it ships.
    for (const release of ['0.1.0', '0.2.0', RELEASE]) assert.ok(releases.has(release), `no histories recorded for release ${release} (found ${[...releases].join(', ')})`);
    assert.ok(recorded.length >= 42 * releases.size, `expected the recorded flows of every release, found ${recorded.length} in ${[...releases].join(', ')}`);
  });

  it('keeps every history exactly as its release recorded it (SHA256SUMS per release)', () => {
    assert.deepEqual(corpusTampering(), []);
  });

  it('replays every history of every release with the current workflow code', async () => {
    const histories = recorded.map((history) => ({
      workflowId: `${history.release}/${history.name}`,
      history: historyFromJSON(JSON.parse(readFileSync(history.path, 'utf8'))),
    }));
    const failures: string[] = [];
    let replayed = 0;
    // With what production's workers bundle and inject: the tracing interceptors and the sinks.
    const options = { workflowsPath: WORKFLOWS_PATH, interceptors: { workflowModules: WORKFLOW_TRACING_MODULES }, sinks: paymentWorkflowSinks(new WorkerMetrics(0), new PollNudges()) };
    for await (const result of Worker.runReplayHistories(options, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    assert.equal(replayed, histories.length);
    assert.deepEqual(failures, []);
  });
});
