/**
 * What a bench run measures and for how long, from `BENCH_*` variables (see bench/README note in
 * run.ts). Parsed once and printed with the table, so a table always says what produced it.
 */
import type { BenchTemporal } from './topology';

export interface BenchSettings {
  /** Throughput: payments (and bare workflows) counted, how many in flight, and how many run first uncounted. */
  payments: number;
  concurrency: number;
  warmup: number;
  /**
   * Webhook → till latency: payments per row, and how many run at once, one row per count: alone
   * (the chain's own latency) and under load (its queueing on a busy machine), in the order given.
   */
  latencyPayments: number;
  latencyConcurrency: number[];
  /** Ramp: waiting-payment levels, the measurement window per level, creates in flight while building. */
  levels: number[];
  holdSeconds: number;
  rampConcurrency: number;
  /** Fresh GETs and new creates sampled evenly over each hold. */
  probes: number;
  /** A create (or probe) slower than this counts as failed: a till does not wait longer for its QR. */
  requestTimeoutMs: number;
  deadlineSeconds: number;
  /** The contract's SETTLE_POLL_INTERVAL_MS given to the worker; the ramp compares achieved cadence with it. */
  settlePollIntervalMs: number;
  /**
   * Task queues whose backlog the ramp reads to tell what saturated: the service's queue and the
   * one its waits run on (the contract's TEMPORAL_TASK_QUEUE is set to the first).
   */
  taskQueues: string[];
  /** More of the service's own variables for the worker and ingresses (sizing experiments), `NAME=value` separated by spaces. */
  serviceEnv: Record<string, string>;
  phases: Set<Phase>;
  /** BENCH_TEMPORAL: `dev-server` (in memory) or `postgres` (temporal-server on the machine's PostgreSQL, as the cluster tests run it). */
  temporal: BenchTemporal;
}

export const PHASES = ['throughput', 'latency', 'ramp'] as const;
export type Phase = (typeof PHASES)[number];

export type Env = Record<string, string | undefined>;

export function positiveInt(env: Env, name: string, fallback: number): number {
  return integerAtLeast(env, name, fallback, 1);
}

/** An integer setting of at least `min`; `fallback` when unset or empty. */
export function integerAtLeast(env: Env, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be ${min === 1 ? 'a positive integer' : `an integer of at least ${min}`} (got ${raw})`);
  return value;
}

function list(env: Env, name: string, fallback: string): string[] {
  return (env[name] ?? fallback).split(',').map((item) => item.trim()).filter(Boolean);
}

function positiveInts(env: Env, name: string, fallback: string): number[] {
  const values = list(env, name, fallback).map((item) => {
    const value = Number(item);
    if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} must be positive integers separated by commas (got ${item})`);
    return value;
  });
  if (values.length === 0) throw new Error(`${name} must name at least one positive integer`);
  return values;
}

function assignments(env: Env, name: string): Record<string, string> {
  const entries = (env[name] ?? '').split(/\s+/).filter(Boolean).map((pair) => {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`${name} takes NAME=value pairs separated by spaces (got ${pair})`);
    return [match[1]!, match[2]!] as const;
  });
  return Object.fromEntries(entries);
}

export function loadSettings(env: Env = process.env): BenchSettings {
  const levels = positiveInts(env, 'BENCH_LEVELS', '100,500,1000,2000');
  // Levels build on each other (the payments of one level stay for the next), so they must grow.
  if (levels.some((level, index) => index > 0 && level <= levels[index - 1]!)) throw new Error('BENCH_LEVELS must be increasing');
  const taskQueues = list(env, 'BENCH_TASK_QUEUES', 'payments,payments-waits');
  if (taskQueues.length === 0) throw new Error('BENCH_TASK_QUEUES must name at least the service\'s task queue');
  const phases = list(env, 'BENCH_PHASES', PHASES.join(','));
  const unknown = phases.filter((phase) => !(PHASES as readonly string[]).includes(phase));
  if (unknown.length > 0) throw new Error(`BENCH_PHASES takes ${PHASES.join(', ')} (got ${unknown.join(', ')})`);
  return {
    payments: positiveInt(env, 'BENCH_PAYMENTS', 200),
    concurrency: positiveInt(env, 'BENCH_CONCURRENCY', 20),
    warmup: positiveInt(env, 'BENCH_WARMUP', 10),
    latencyPayments: positiveInt(env, 'BENCH_LATENCY_PAYMENTS', 200),
    latencyConcurrency: positiveInts(env, 'BENCH_LATENCY_CONCURRENCY', '1,4'),
    levels,
    holdSeconds: positiveInt(env, 'BENCH_HOLD_SECONDS', 30),
    rampConcurrency: positiveInt(env, 'BENCH_RAMP_CONCURRENCY', 50),
    probes: positiveInt(env, 'BENCH_PROBES', 20),
    // Above the service's own create deadline (POS_CREATE_TIMEOUT_SECONDS, 15 s by default), so a
    // create the service gives up on is seen as its answer (503 capacity_exhausted), not as ours.
    requestTimeoutMs: positiveInt(env, 'BENCH_REQUEST_TIMEOUT_SECONDS', 20) * 1000,
    deadlineSeconds: positiveInt(env, 'BENCH_DEADLINE_SECONDS', 1800),
    settlePollIntervalMs: positiveInt(env, 'SETTLE_POLL_INTERVAL_MS', 1000),
    taskQueues,
    serviceEnv: assignments(env, 'BENCH_SERVICE_ENV'),
    phases: new Set(phases as Phase[]),
    temporal: benchTemporal(env.BENCH_TEMPORAL),
  };
}

function benchTemporal(value: string | undefined): BenchTemporal {
  if (value === undefined || value === '' || value === 'dev-server') return 'dev-server';
  if (value === 'postgres') return 'postgres';
  throw new Error(`BENCH_TEMPORAL takes dev-server or postgres (got ${value})`);
}
