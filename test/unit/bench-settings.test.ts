/** The bench's settings: lists of counts parse or fail with the variable's name, never silently. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSettings } from '../../bench/settings';

describe('bench: settings', () => {
  it('measures webhook → till alone and with 4 in flight unless told otherwise', () => {
    assert.deepEqual(loadSettings({}).latencyConcurrency, [1, 4]);
    assert.deepEqual(loadSettings({ BENCH_LATENCY_CONCURRENCY: ' 2 ' }).latencyConcurrency, [2]);
  });

  it('refuses counts that are not positive integers, and levels that do not grow', () => {
    assert.throws(() => loadSettings({ BENCH_LATENCY_CONCURRENCY: '1,0' }), /BENCH_LATENCY_CONCURRENCY must be positive integers separated by commas \(got 0\)/);
    assert.throws(() => loadSettings({ BENCH_LATENCY_CONCURRENCY: ',' }), /BENCH_LATENCY_CONCURRENCY must name at least one positive integer/);
    assert.throws(() => loadSettings({ BENCH_LEVELS: '100,1.5' }), /BENCH_LEVELS must be positive integers separated by commas \(got 1.5\)/);
    assert.throws(() => loadSettings({ BENCH_LEVELS: '500,100' }), /BENCH_LEVELS must be increasing/);
  });
});
