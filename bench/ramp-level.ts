/**
 * One ramp level: building it (payments created, scanned and put on a long-polling till until that
 * many wait) and holding it (the measurement window: the provider poll cadence every payment got,
 * fresh reads and new creates sampled over the window, CPU and RSS, and the task queues).
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { BenchContext } from './context';
import { createOnTill, scanAtTill, tryCreate, type CreateOutcome } from './payment-flow';
import { runPool, spread, type Settled } from './pool';
import type { ProcessUsage } from './procstat';
import { BacklogPeaks, describeQueues, type QueueReading } from './saturation';
import { reasonOf, Tally } from './stats';
import type { Till } from './till';

export const POS_ID = 'bench-ramp';
/** Ramp payments must outlive the whole run: they end by the bench's cancel, never by expiring. */
const CUSTOMER_TIMEOUT_SECONDS = 3600;
/** Reads of Settle's inspection API in flight at once. */
export const SIDE_CONCURRENCY = 50;

export interface Waiting {
  id: string;
  tid: string;
  till: Till;
}

export interface RampState {
  waiting: Waiting[];
  /** Every payment the ramp may have made (a create that timed out may still have started one). */
  made: Set<string>;
  /** Creates per second while building the last level, to judge whether the next fits the deadline. */
  buildRate: number | null;
}

export interface Built {
  issued: number;
  /** Latencies of the creates that answered 201. */
  createMs: number[];
  createFailures: Tally;
  /** Payments created but never seen scanned: they do not wait either. */
  scanFailures: Tally;
  /** The largest backlog each task queue showed while the level was built. */
  peaks: QueueReading[];
  stoppedEarly: boolean;
  seconds: number;
}

/** Adds payments until `level` wait; stops early once failures show the level will not be reached. */
export async function build(context: BenchContext, state: RampState, level: number): Promise<Built> {
  const { settings, posA, flow } = context;
  const need = level - state.waiting.length;
  // Failures are the level breaking; more of them would only take minutes to confirm it.
  const failuresAllowed = Math.max(10, Math.ceil(need * 0.05));
  const built: Built = { issued: 0, createMs: [], createFailures: new Tally(), scanFailures: new Tally(), peaks: [], stoppedEarly: false, seconds: 0 };
  const peaks = new BacklogPeaks(context.client, settings.taskQueues);
  const started = performance.now();
  const keepGoing = () => built.createFailures.total + built.scanFailures.total < failuresAllowed;
  await runPool({ count: need, concurrency: settings.rampConcurrency, signal: context.signal, keepGoing }, async (index) => {
    built.issued += 1;
    const posTid = `${context.runId}-${level}-${index}`;
    state.made.add(posA.paymentId(POS_ID, posTid));
    const created = await createOnTill(posA, { posId: POS_ID, posTid, timeoutSeconds: CUSTOMER_TIMEOUT_SECONDS }, flow);
    if (!created.ok) {
      if (!context.signal.aborted) built.createFailures.count(created.reason);
      return;
    }
    built.createMs.push(created.createMs);
    try {
      const tid = await scanAtTill(created.till, flow);
      state.waiting.push({ id: created.id, tid, till: created.till });
    } catch (error) {
      created.till.stop();
      if (!context.signal.aborted) built.scanFailures.count(`scan: ${reasonOf(error instanceof Error ? error.message : String(error))}`);
    }
  });
  built.seconds = (performance.now() - started) / 1000;
  built.peaks = peaks.stop();
  if (built.issued > 0) state.buildRate = built.issued / built.seconds;
  built.stoppedEarly = built.issued < need && !context.signal.aborted;
  return built;
}

type PollReads = Map<string, { reads: number; at: number }>;

/** Outcome reads Settle counted per payment request, with when each was read. */
async function readPolls(context: BenchContext, waiting: readonly Waiting[]): Promise<PollReads> {
  const reads: PollReads = new Map();
  await runPool({ count: waiting.length, concurrency: SIDE_CONCURRENCY, signal: context.signal }, async (index) => {
    const { tid } = waiting[index]!;
    const value = await context.flow.settle.outcomeReads(tid, context.signal);
    reads.set(tid, { reads: value, at: performance.now() });
  });
  return reads;
}

/** Each payment's achieved poll rate as a share of the configured one (1 = every interval), timed per payment. */
function cadences(context: BenchContext, before: PollReads, after: PollReads): number[] {
  const configuredPerSecond = 1000 / context.settings.settlePollIntervalMs;
  return [...after].flatMap(([tid, end]) => {
    const start = before.get(tid);
    if (!start || end.at <= start.at) return [];
    return [(end.reads - start.reads) / ((end.at - start.at) / 1000) / configuredPerSecond];
  });
}

export interface Held {
  waiting: number;
  usage: ProcessUsage;
  longPolls: string;
  /** Task queues at the end of the window, and the largest backlogs seen during it. */
  queues: QueueReading[];
  peaks: QueueReading[];
  cadence: number[];
  freshGets: Settled<number>[];
  newCreates: Settled<CreateOutcome>[];
}

/** The measurement window of a level that has been reached. */
export async function hold(context: BenchContext, state: RampState, level: number): Promise<Held> {
  const { settings, posA, flow, signal } = context;
  const waiting = [...state.waiting];
  const before = await readPolls(context, waiting);
  flow.counts.reset();
  const window = context.usage();
  const peaks = new BacklogPeaks(context.client, settings.taskQueues);
  const holdMs = settings.holdSeconds * 1000;
  const freshGets = spread(settings.probes, holdMs, signal, async (index) => {
    // Spread over the waiting payments rather than always the first ones.
    const answer = await posA.get(waiting[(index * 7919) % waiting.length]!.id, signal);
    if (answer.status !== 200) throw new Error(`GET answered ${answer.status}`);
    return answer.ms;
  });
  const newCreates = spread(settings.probes, holdMs, signal, (index) => {
    const posTid = `${context.runId}-${level}-hold-${index}`;
    state.made.add(posA.paymentId(POS_ID, posTid));
    return tryCreate(posA, { posId: POS_ID, posTid, timeoutSeconds: CUSTOMER_TIMEOUT_SECONDS }, signal);
  });
  // The hold is the measurement window itself, not a wait for something to happen.
  await delay(holdMs, undefined, { signal }).catch(() => undefined);
  const usage = window.end();
  const peakBacklogs = peaks.stop();
  const longPolls = flow.counts.describe();
  const [queues, after] = await Promise.all([describeQueues(context.client, settings.taskQueues), readPolls(context, waiting)]);
  return {
    waiting: waiting.length,
    usage,
    longPolls,
    queues,
    peaks: peakBacklogs,
    cadence: cadences(context, before, after),
    freshGets: await freshGets,
    newCreates: await newCreates,
  };
}
