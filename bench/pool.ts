/** Runs numbered tasks with a fixed number in flight, the way a fleet of tills keeps a steady load. */
import { setTimeout as delay } from 'node:timers/promises';
import { reasonOf, Tally } from './stats';

export interface PoolOptions {
  count: number;
  concurrency: number;
  signal: AbortSignal;
  /** Checked before each new task: false stops issuing (tasks in flight still finish). */
  keepGoing?: () => boolean;
}

export type Settled<T> = { ok: true; value: T } | { ok: false; error: string };

/**
 * Resolves once every issued task has settled. Tasks never issued, and tasks that failed because the
 * run was stopped under them (deadline, Ctrl-C), are absent: they measured nothing.
 */
export async function runPool<T>(options: PoolOptions, task: (index: number) => Promise<T>): Promise<Settled<T>[]> {
  const results: Settled<T>[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < options.count && !options.signal.aborted && (options.keepGoing?.() ?? true)) {
      const index = next;
      next += 1;
      const result = await settle(task(index), options.signal);
      if (result) results.push(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.count) }, lane));
  return results;
}

async function settle<T>(running: Promise<T>, signal: AbortSignal): Promise<Settled<T> | null> {
  try {
    return { ok: true, value: await running };
  } catch (error) {
    return signal.aborted ? null : { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** For a row's notes when the run was stopped while it was measured. */
export function cutShort(signal: AbortSignal): string {
  return signal.aborted ? 'CUT SHORT by the deadline or Ctrl-C' : '';
}

/** The most frequent failure reasons, for the table's notes ("3× create answered 503"). */
export function topErrors(results: readonly Settled<unknown>[], limit = 2): string {
  const reasons = new Tally();
  for (const result of results) if (!result.ok) reasons.count(reasonOf(result.error));
  return reasons.describe(limit);
}

/**
 * Issues `count` tasks evenly over `windowMs` (task i at i × windowMs / count), independent of how
 * long each takes: probes that sample a measurement window rather than load it.
 */
export async function spread<T>(count: number, windowMs: number, signal: AbortSignal, task: (index: number) => Promise<T>): Promise<Settled<T>[]> {
  const step = windowMs / count;
  const settled = await Promise.all(
    Array.from({ length: count }, async (_, index): Promise<Settled<T> | null> => {
      try {
        await delay(index * step, undefined, { signal });
      } catch {
        return null; // stopped before its turn: never issued
      }
      return settle(task(index), signal);
    }),
  );
  return settled.filter((result): result is Settled<T> => result !== null);
}
