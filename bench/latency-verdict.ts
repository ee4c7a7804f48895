/**
 * Whether a webhook → till row met the capacity issue's target, and when it did not, where its
 * slowest payments lost their time and how busy the machine was: the row's own evidence of what
 * limits it, as the ramp's verdict is for a level.
 */
import type { TailBreakdown } from './webhook-chain';
import type { ProcessUsage } from './procstat';
import { describeMachineCpu, machineSaturated } from './saturation';
import { formatMs } from './stats';

/** The capacity issue's p99 targets for webhook → till, by where the till waits. */
export const WEBHOOK_TO_TILL_P99_MS = { sameIngress: 150, acrossIngresses: 1000 } as const;

/** The same till and ingress measured with fewer payments in flight. */
export interface LighterRow {
  inFlight: number;
  p99Ms: number | null;
}

export interface LatencyEvidence {
  label: string;
  p99Ms: number | null;
  targetMs: number;
  tail: TailBreakdown | null;
  usage: ProcessUsage;
  cores: number;
  /** Set when a lighter row was measured before this one: it tells the chain's own latency from the load's. */
  lighter?: LighterRow | null;
}

/** Null when the row met its target (or measured nothing); otherwise one remark for under the table. */
export function latencyVerdict(evidence: LatencyEvidence): string | null {
  const { label, p99Ms, targetMs, tail, usage, cores, lighter } = evidence;
  if (p99Ms === null || p99Ms <= targetMs) return null;
  const parts = [`${label}: p99 ${formatMs(p99Ms)} > ${formatMs(targetMs)}`];
  if (tail !== null) {
    const longest = tail.ownMs.reduce((a, b) => (b.ms > a.ms ? b : a));
    const steps = tail.ownMs.map(({ label: step, ms }, index) => `${index === 0 ? '' : '+'}${Math.round(ms)} ms ${step}`).join(', ');
    const slowest = tail.payments === 1 ? 'slowest payment' : `${tail.payments} slowest payments`;
    parts.push(`its ${slowest} (from ${formatMs(tail.fromMs)}) spent on average ${steps}; the longest: ${longest.label}`);
  }
  const machine = describeMachineCpu(usage, cores);
  parts.push(machineSaturated(usage, cores) ? `CPU-bound, ${machine}` : `not CPU-bound as a whole, ${machine}`);
  if (lighter && lighter.p99Ms !== null) {
    const within = lighter.p99Ms <= targetMs;
    parts.push(`with ${lighter.inFlight} in flight its p99 was ${formatMs(lighter.p99Ms)}${within ? ', within the target: the chain alone is fast enough, the load makes the miss' : ', also over the target: the chain alone is too slow'}`);
  }
  return parts.join('; ');
}
