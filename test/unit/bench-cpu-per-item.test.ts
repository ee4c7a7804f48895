/**
 * The bench's account of a throughput ratio: what an item costs per process, whether the machine's
 * CPU was the limit, and what a payment costs beyond the bare workflow.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cpuCost, explainRatio, formatCpuCost } from '../../bench/cpu-per-item';
import type { ProcessUsage } from '../../bench/procstat';

/** A window of `seconds` on 2 cores in which the named processes used these percents of one core. */
function usage(cpu: Record<string, number | null>, otherCpu = 0): ProcessUsage {
  const oursCpu = Object.values(cpu).reduce<number>((sum, percent) => sum + (percent ?? 0), 0);
  return { cpu, rssMb: {}, oursCpu, otherCpu };
}

// 10 s, 100 payments: 1 % of a core over the window is 1 ms per payment.
const paymentRun = usage({ worker: 40, ingressA: 25, temporal: 55, sandbox: 9, bench: 6, ingressB: 0.2 }, 50);
const bareRun = usage({ worker: 17, ingressA: 0.3, temporal: 25, sandbox: 2, bench: 2, ingressB: null }, 140);

describe('bench: CPU per item', () => {
  it('gives each process its CPU ms per item and calls a machine over 90 % busy CPU-bound', () => {
    const cost = cpuCost(paymentRun, 10, 100, 2);
    assert.ok(cost);
    assert.equal(cost.totalMs, 135.2);
    assert.equal(cost.machineBusy, (135.2 + 50) / 2);
    assert.equal(cost.cpuBound, true);
    assert.equal(formatCpuCost(cost), 'CPU ms per item: worker 40, ingress A 25, Temporal 55, sandbox 9, bench 6, all 135; machine 93 % busy (CPU-bound)');
    assert.equal(cpuCost(paymentRun, 10, 0, 2), null);
    assert.equal(formatCpuCost(null), '');
  });

  it('explains a ratio between CPU-bound runs by the inverse ratio of the costs and the extra ms per process', () => {
    const payment = cpuCost(paymentRun, 10, 100, 2);
    const bare = cpuCost(bareRun, 10, 100, 2);
    assert.equal(
      explainRatio(0.33, payment, bare),
      "throughput ratio 0.33: both runs were CPU-bound, so each rate is the machine's CPU over an item's cost: " +
        'a payment costs 135 ms of CPU, a bare workflow 46 ms (0.34); a payment\'s extra ms by process: Temporal +30, ingress A +25, worker +23, sandbox +7, bench +4',
    );
  });

  it('says the ratio is no cost ratio when a run was bound by latency', () => {
    const payment = cpuCost(paymentRun, 10, 100, 2);
    const idleBare = cpuCost(usage({ worker: 17, temporal: 25 }, 20), 10, 100, 2);
    assert.equal(
      explainRatio(0.55, payment, idleBare),
      'throughput ratio 0.55: not a cost ratio, since the run of bare workflows (machine 31 % busy) was bound by the latency of its steps, not by CPU',
    );
    assert.equal(explainRatio(0.55, payment, null), '');
  });
});
