/** The worker's heap growth bound (src/main/heap-growth.ts) and its setting, WORKER_HEAP_GROWTH_PERCENT. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { ConfigError, loadWorkerHeapGrowthPercent } from '../../src/config';
import { limitHeapGrowth } from '../../src/main/heap-growth';
import { PROJECT_ROOT } from '../../src/temporal/go-install';

describe('WORKER_HEAP_GROWTH_PERCENT', () => {
  it('is 100 unless set; 0 leaves the growth to V8', () => {
    assert.equal(loadWorkerHeapGrowthPercent({}), 100);
    assert.equal(loadWorkerHeapGrowthPercent({ WORKER_HEAP_GROWTH_PERCENT: '40' }), 40);
    assert.equal(loadWorkerHeapGrowthPercent({ WORKER_HEAP_GROWTH_PERCENT: '0' }), 0);
  });

  it('refuses what is not a whole percentage between 0 and 1000, naming the variable', () => {
    for (const value of ['-1', '2.5', 'lots', '1001']) {
      assert.throws(() => loadWorkerHeapGrowthPercent({ WORKER_HEAP_GROWTH_PERCENT: value }), (error: unknown) =>
        error instanceof ConfigError && error.message.includes('WORKER_HEAP_GROWTH_PERCENT'), value);
    }
  });
});

describe('limitHeapGrowth', () => {
  it('hands V8 the growing factor, and nothing when growth is left to V8', () => {
    const given: string[] = [];
    limitHeapGrowth(100, (flags) => given.push(flags));
    limitHeapGrowth(0, (flags) => given.push(flags));
    assert.deepEqual(given, ['--heap-growing-percent=100']);
  });

  it('uses a flag this Node’s V8 knows (an unknown one is only a line on stderr)', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', "require('./src/main/heap-growth').limitHeapGrowth(100)"], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.doesNotMatch(`${child.stdout}${child.stderr}`, /unrecognized flag/);
    const unknown = spawnSync(process.execPath, ['-e', "require('node:v8').setFlagsFromString('--heap-growing-percentage=100')"], { encoding: 'utf8' });
    assert.match(`${unknown.stdout}${unknown.stderr}`, /unrecognized flag/, 'the check above could not fail');
  });
});
