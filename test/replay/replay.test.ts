/**
 * Determinism guard: every recorded payment history (test/histories/, recorded from the end-to-end
 * flows with RECORD_HISTORIES=1) must replay against the current workflow code without divergence.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { WORKFLOWS_PATH } from '../../src/worker';
import { HISTORIES_DIR } from '../support/e2e-stack';

const files = readdirSync(HISTORIES_DIR).filter((file) => file.endsWith('.json')).sort();

describe('replay of recorded histories', () => {
  it('has recorded histories to replay', () => {
    assert.ok(files.length >= 10, `expected the recorded flows in ${HISTORIES_DIR}, found ${files.length}`);
  });

  it('replays every history with the current workflow code', async () => {
    const histories = files.map((file) => ({
      workflowId: file.replace(/\.json$/, ''),
      history: historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'))),
    }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowsPath: WORKFLOWS_PATH }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${String(result.error)}`);
    }
    assert.equal(replayed, files.length);
    assert.deepEqual(failures, []);
  });
});
