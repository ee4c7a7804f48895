/**
 * What one payment (or one bare workflow) costs in CPU, process by process, and how busy the
 * machine was. When every process shares the same cores, throughput is the machine's CPU divided by
 * this cost, so the breakdown says where a throughput ratio comes from: the two rows' totals are
 * comparable even when the host's speed drifts between runs, which rates are not.
 */
import type { ProcessUsage } from './procstat';

/** Past this share of all cores, the machine's CPU is what limits the rate. */
const SATURATED_SHARE = 0.9;

const LABELS: Record<string, string> = { worker: 'worker', ingressA: 'ingress A', ingressB: 'ingress B', temporal: 'Temporal', sandbox: 'sandbox', bench: 'bench' };

export interface CpuCost {
  /** CPU ms per item by process label, in the order the usage lists them. */
  byProcess: [string, number][];
  /** CPU ms per item of all the bench's processes together. */
  totalMs: number;
  /** Share of all cores busy during the run, the rest of the machine included (percent). */
  machineBusy: number;
  cpuBound: boolean;
}

/** The cost of one item over a run, or null without items. */
export function cpuCost(usage: ProcessUsage, seconds: number, items: number, cores: number): CpuCost | null {
  if (items === 0) return null;
  const msPerItem = (percent: number) => (percent / 100) * seconds * 1000 / items;
  const byProcess = Object.entries(usage.cpu)
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .map(([name, percent]): [string, number] => [LABELS[name] ?? name, msPerItem(percent)]);
  const machineBusy = (usage.oursCpu + usage.otherCpu) / cores;
  return { byProcess, totalMs: msPerItem(usage.oursCpu), machineBusy, cpuBound: machineBusy >= SATURATED_SHARE * 100 };
}

/** `CPU ms per item: worker 41, …, all 168; machine 97 % busy (CPU-bound)`, or an empty string without a cost. */
export function formatCpuCost(cost: CpuCost | null): string {
  if (!cost) return '';
  const parts = cost.byProcess.filter(([, ms]) => ms >= 0.5).map(([name, ms]) => `${name} ${Math.round(ms)}`);
  return `CPU ms per item: ${parts.join(', ')}, all ${Math.round(cost.totalMs)}; machine ${Math.round(cost.machineBusy)} % busy${cost.cpuBound ? ' (CPU-bound)' : ''}`;
}

/**
 * Why the throughput ratio is what it is. When both runs were CPU-bound, each rate is the machine's
 * CPU over the cost of an item, so the ratio is close to the inverse ratio of the costs and the
 * difference by process says what a payment does that the bare workflow does not. When a run was not
 * CPU-bound, its rate is bound by the latency of its steps and the ratio is not a cost ratio.
 */
export function explainRatio(ratio: number, payment: CpuCost | null, bare: CpuCost | null): string {
  if (!payment || !bare) return '';
  const runs = [['payments', payment], ['bare workflows', bare]] as const;
  const latencyBound = runs.filter(([, cost]) => !cost.cpuBound).map(([name, cost]) => `${name} (machine ${Math.round(cost.machineBusy)} % busy)`);
  if (latencyBound.length > 0) {
    return `throughput ratio ${ratio.toFixed(2)}: not a cost ratio, since the run of ${latencyBound.join(' and ')} was bound by the latency of its steps, not by CPU`;
  }
  const bareMs = new Map(bare.byProcess);
  const extra = payment.byProcess
    .map(([name, ms]): [string, number] => [name, ms - (bareMs.get(name) ?? 0)])
    .filter(([, ms]) => Math.round(ms) !== 0)
    .sort((a, b) => b[1] - a[1])
    .map(([name, ms]) => `${name} ${ms > 0 ? '+' : ''}${Math.round(ms)}`);
  return `throughput ratio ${ratio.toFixed(2)}: both runs were CPU-bound, so each rate is the machine's CPU over an item's cost: ` +
    `a payment costs ${Math.round(payment.totalMs)} ms of CPU, a bare workflow ${Math.round(bare.totalMs)} ms ` +
    `(${(bare.totalMs / payment.totalMs).toFixed(2)}); a payment's extra ms by process: ${extra.join(', ')}`;
}
