/**
 * The ramp's verdict on a level: a payment that failed while the level was built is judged by what
 * ran out during the build, not by the quieter hold that followed it; a level that did not break
 * but missed the capacity issue's targets says which.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ProcessUsage } from '../../bench/procstat';
import { diagnose, levelVerdict, targetsMissed, type LevelEvidence } from '../../bench/saturation';

function usage(cpu: Record<string, number | null>, otherCpu = 0): ProcessUsage {
  const oursCpu = Object.values(cpu).reduce<number>((sum, percent) => sum + (percent ?? 0), 0);
  return { cpu, rssMb: {}, oursCpu, otherCpu };
}

// The 1,000-waiting level of a run on a slow host: one create timed out while the level was built,
// with the machine busy and workflow tasks waiting on the worker; the hold after it was calm.
const building: LevelEvidence = {
  waiting: 999,
  polled: 999,
  failed: new Map([['timeout', 1]]),
  cadenceMedian: null,
  queues: [
    { taskQueue: 'payments', type: 'workflow', stats: { backlog: 29, backlogAgeSeconds: 6.2 } },
    { taskQueue: 'payments-waits', type: 'activity', stats: { backlog: 8, backlogAgeSeconds: 1 } },
  ],
  usage: usage({ worker: 58, ingressA: 21, temporal: 70, sandbox: 35, bench: 6 }, 10),
  cores: 2,
};
const holding: LevelEvidence = {
  waiting: 999,
  polled: 999,
  failed: new Map(),
  cadenceMedian: 1,
  queues: [],
  usage: usage({ worker: 48, ingressA: 13, temporal: 39, sandbox: 30, bench: 2 }, 5),
  cores: 2,
};

describe('bench: a ramp level\'s verdict', () => {
  it('names what ran out while the level was built when payments failed then', () => {
    const verdict = levelVerdict(diagnose(building), diagnose(holding));
    assert.equal(verdict.broken, true);
    assert.deepEqual(verdict.symptoms, ['while building: 1 payments failed: 1× timeout']);
    assert.deepEqual(verdict.saturated, [
      'while building: worker workflow tasks of payments: 29 wait up to 6 s',
      'while building: machine CPU: 200 % of 200 % in use (temporal 70, worker 58, sandbox 35, ingressA 21, bench 6, others 10)',
    ]);
  });

  it('judges the hold by its own window, and says what was busiest when nothing broke', () => {
    const calmBuild = diagnose({ ...building, failed: new Map(), queues: [] });
    const held = levelVerdict(calmBuild, diagnose(holding));
    assert.deepEqual(held, { broken: false, symptoms: [], saturated: ['nothing saturated; busiest worker 48 %'] });

    const refused = diagnose({ ...holding, failed: new Map([['503 capacity_exhausted', 20]]) });
    const broke = levelVerdict(calmBuild, refused);
    assert.equal(broke.broken, true);
    assert.deepEqual(broke.symptoms, ['20 payments failed: 20× 503 capacity_exhausted']);
    assert.deepEqual(broke.saturated, ['the service refused 20 creates with 503 capacity_exhausted at 999 waiting']);
  });
});

describe('bench: a held level against the capacity targets', () => {
  it('names each target a level missed, and none when it met them all', () => {
    // 2,000 waiting on a slow host (2026-12-05 night): nothing failed, but the machine ran out.
    assert.deepEqual(targetsMissed({ cadenceMin: 0.65, newCreateP99Ms: 3130, freshGetP99Ms: 261, workerRssMb: 1100 }), [
      'cadence min 65 % < 80 %',
      'new creates p99 3.13 s > 2.00 s',
      'fresh GET p99 261 ms > 250 ms',
      'worker RSS 1100 MB > 1024 MB',
    ]);
    assert.deepEqual(targetsMissed({ cadenceMin: 0.8, newCreateP99Ms: 2000, freshGetP99Ms: 250, workerRssMb: 1024 }), []);
    assert.deepEqual(targetsMissed({ cadenceMin: null, newCreateP99Ms: null, freshGetP99Ms: null, workerRssMb: null }), []);
  });
});
