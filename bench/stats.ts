/** Percentiles and the few number formats the table uses. */

export interface Summary {
  n: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  min: number | null;
}

/** Nearest-rank percentile: an observed value, never an interpolation between two. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(rank, 1)) - 1] ?? null;
}

export function summarize(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), min: sorted[0] ?? null };
}

/** `156 ms`, `1.02 s`, `—` for nothing measured. */
export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

export function formatPercent(ratio: number | null): string {
  return ratio === null ? '—' : `${Math.round(ratio * 100)} %`;
}

export function formatRate(perSecond: number, unit: string): string {
  return `${perSecond.toFixed(perSecond < 10 ? 2 : 1)} ${unit}/s`;
}

/** Counts by reason (`timeout`, `503 capacity_exhausted`), described most frequent first. */
export class Tally extends Map<string, number> {
  count(reason: string, n = 1): void {
    this.set(reason, (this.get(reason) ?? 0) + n);
  }

  get total(): number {
    return [...this.values()].reduce((sum, n) => sum + n, 0);
  }

  describe(limit = Infinity): string {
    return [...this].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([reason, n]) => `${n}× ${reason}`).join(', ');
  }
}

/** A failure message as a reason shared by like failures: ids, ports and durations differ between payments, the reason does not. */
export function reasonOf(message: string): string {
  return message.replace(/https?:\/\/[^/\s]+/g, '').replace(/pay:[^\s"]+/g, '<id>').replace(/\d+ ms/g, 'N ms').slice(0, 90);
}
