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

/** `CPU ms per item: worker 41, …, all 168; machine 97 % busy (CPU-bound)`, or an empty string without items. */
export function cpuPerItem(usage: ProcessUsage, seconds: number, items: number, cores: number): string {
  if (items === 0) return '';
  const msPerItem = (percent: number) => (percent / 100) * seconds * 1000 / items;
  const parts = Object.entries(usage.cpu)
    .filter((entry): entry is [string, number] => entry[1] !== null && msPerItem(entry[1]) >= 0.5)
    .map(([name, percent]) => `${LABELS[name] ?? name} ${Math.round(msPerItem(percent))}`);
  const busy = (usage.oursCpu + usage.otherCpu) / cores;
  const limit = busy >= SATURATED_SHARE * 100 ? ' (CPU-bound)' : '';
  return `CPU ms per item: ${parts.join(', ')}, all ${Math.round(msPerItem(usage.oursCpu))}; machine ${Math.round(busy)} % busy${limit}`;
}
