/** The "Conditions" under the table: what machine, what code, what settings produced the numbers. */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { PROJECT_ROOT } from '../src/temporal/cli';
import type { BenchSettings } from './settings';

function quietly(command: string, args: string[]): string | null {
  try {
    return execFileSync(command, args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

export function cores(): number {
  return Number(quietly('nproc', [])) || cpus().length;
}

export const loadAverage = () => loadavg().map((value) => value.toFixed(2)).join(' / ');

export function machine(): string[] {
  const head = quietly('git', ['rev-parse', '--short', 'HEAD']);
  const changed = (quietly('git', ['status', '--porcelain']) ?? '').split('\n').filter(Boolean).length;
  const code = head === null
    ? `code: ${PROJECT_ROOT} (not a git checkout)`
    : `code: git ${head}${changed > 0 ? ` with ${changed} uncommitted changes in the working tree (measured as it was on disk)` : ''}`;
  return [
    `date ${new Date().toISOString()}; ${cores()} cores (nproc, ${cpus()[0]?.model.trim() ?? '?'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory; node ${process.version}`,
    code,
    `load average (1/5/15 min) at start: ${loadAverage()}`,
  ];
}

export function settingsLine(settings: BenchSettings): string {
  return [
    `BENCH_PAYMENTS=${settings.payments}`,
    `BENCH_CONCURRENCY=${settings.concurrency}`,
    `BENCH_WARMUP=${settings.warmup}`,
    `BENCH_LATENCY_PAYMENTS=${settings.latencyPayments}`,
    `BENCH_LATENCY_CONCURRENCY=${settings.latencyConcurrency.join(',')}`,
    `BENCH_LEVELS=${settings.levels.join(',')}`,
    `BENCH_HOLD_SECONDS=${settings.holdSeconds}`,
    `BENCH_RAMP_CONCURRENCY=${settings.rampConcurrency}`,
    `BENCH_PROBES=${settings.probes}`,
    `BENCH_REQUEST_TIMEOUT_SECONDS=${settings.requestTimeoutMs / 1000}`,
    `BENCH_DEADLINE_SECONDS=${settings.deadlineSeconds}`,
    `BENCH_PHASES=${[...settings.phases].join(',')}`,
    `SETTLE_POLL_INTERVAL_MS=${settings.settlePollIntervalMs}`,
    `BENCH_TASK_QUEUES=${settings.taskQueues.join(',')}`,
    `BENCH_SERVICE_ENV='${Object.entries(settings.serviceEnv).map(([name, value]) => `${name}=${value}`).join(' ')}'`,
  ].join(' ');
}
