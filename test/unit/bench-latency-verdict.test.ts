/**
 * The bench's verdict on a webhook → till row: silent when the p99 met its target; otherwise it says
 * by how much, which step the slowest payments lost their time in, and whether the machine's CPU was
 * what ran out.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { latencyVerdict, WEBHOOK_TO_TILL_P99_MS } from '../../bench/latency-verdict';
import type { ProcessUsage } from '../../bench/procstat';
import { tailBreakdown } from '../../bench/webhook-chain';

function usage(cpu: Record<string, number>, otherCpu: number): ProcessUsage {
  return { cpu, rssMb: {}, oursCpu: Object.values(cpu).reduce((sum, percent) => sum + percent, 0), otherCpu };
}

const LABELS = ['webhook', 'poll', 'task', 'memo', 'till'];

describe('bench: where the slowest webhook → till payments lost their time', () => {
  it('takes the slowest share apart into steps whose own times add up to each payment\'s total', () => {
    const chains = [
      [40, 40, 60, 90, 100],
      // The nudged poll answered before the ingress answered the webhook: the poll's own time is 0,
      // and the task's starts at the later of the two.
      [60, 50, 80, 200, 230],
      [50, 45, 70, 100, 110],
    ];
    const tail = tailBreakdown(chains, LABELS, 0.34);
    assert.deepEqual(tail, { payments: 1, fromMs: 230, ownMs: [
      { label: 'webhook', ms: 60 }, { label: 'poll', ms: 0 }, { label: 'task', ms: 20 }, { label: 'memo', ms: 120 }, { label: 'till', ms: 30 },
    ] });
    assert.equal(tail.ownMs.reduce((sum, step) => sum + step.ms, 0), 230);
  });

  it('averages over the slowest payments, at least one, and finds nothing without payments', () => {
    const chains = [[10, 10, 20, 30, 40], [100, 100, 150, 200, 300], [80, 80, 100, 160, 200]];
    assert.deepEqual(tailBreakdown(chains, LABELS, 0.67)?.ownMs.map((step) => step.ms), [90, 0, 35, 55, 70]);
    assert.equal(tailBreakdown(chains, LABELS, 0.01)?.payments, 1);
    assert.equal(tailBreakdown([], LABELS, 0.05), null);
  });
});

describe("bench: a webhook → till row's verdict", () => {
  const tail = tailBreakdown([[60, 50, 80, 200, 230]], LABELS, 0.05);
  const busy = usage({ temporal: 90, worker: 55, ingressA: 30, sandbox: 10 }, 5);

  it('says nothing when the p99 met the target, at the target exactly, or when nothing was measured', () => {
    const evidence = { label: 'webhook → till, same ingress', tail, usage: busy, cores: 2, targetMs: WEBHOOK_TO_TILL_P99_MS.sameIngress };
    assert.equal(latencyVerdict({ ...evidence, p99Ms: 150 }), null);
    assert.equal(latencyVerdict({ ...evidence, p99Ms: null }), null);
  });

  it('names the missed target, the step the slowest payments lost most in, and a CPU-bound machine', () => {
    const verdict = latencyVerdict({ label: 'webhook → till, same ingress', p99Ms: 266, targetMs: 150, tail, usage: busy, cores: 2 });
    assert.equal(verdict,
      'webhook → till, same ingress: p99 266 ms > 150 ms; its slowest payment (from 230 ms) spent on average 60 ms webhook, +0 ms poll, +20 ms task, +120 ms memo, +30 ms till; ' +
      'the longest: memo; CPU-bound, machine CPU: 190 % of 200 % in use (temporal 90, worker 55, ingressA 30, sandbox 10, others 5)');
  });

  it('sets the row beside the same till measured with fewer in flight: within the target, or over it too', () => {
    const evidence = { label: 'row', p99Ms: 194, targetMs: 150, tail: null, usage: busy, cores: 2 };
    assert.match(latencyVerdict({ ...evidence, lighter: { inFlight: 1, p99Ms: 114 } }) ?? '',
      /; with 1 in flight its p99 was 114 ms, within the target: the chain alone is fast enough, the load makes the miss$/);
    assert.match(latencyVerdict({ ...evidence, lighter: { inFlight: 1, p99Ms: 160 } }) ?? '', /; with 1 in flight its p99 was 160 ms, also over the target: the chain alone is too slow$/);
  });

  it('says so when the machine as a whole had CPU to spare, and still reports without a breakdown', () => {
    const verdict = latencyVerdict({ label: 'row', p99Ms: 1200, targetMs: 1000, tail: null, usage: usage({ temporal: 60, worker: 30 }, 10), cores: 2 });
    assert.equal(verdict, 'row: p99 1.20 s > 1.00 s; not CPU-bound as a whole, machine CPU: 100 % of 200 % in use (temporal 60, worker 30, others 10)');
  });
});
