/**
 * The ramp: more and more customers waiting at once, each long-polled by its till (levels and
 * measurements: ramp-level.ts). Each level is reported as it ends; a level that breaks says what
 * saturated and the ramp stops there; a level that would not fit before the deadline is skipped.
 * At the end every payment the ramp may have made is cancelled.
 */
import { performance } from 'node:perf_hooks';
import { describeAnswer } from './api';
import type { BenchContext } from './context';
import { cutShort, runPool, topErrors } from './pool';
import type { ProcessUsage } from './procstat';
import { build, hold, type Built, type Held, type RampState, SIDE_CONCURRENCY } from './ramp-level';
import { describeBacklogs, diagnose, LEVEL_TARGETS, levelVerdict, targetsMissed } from './saturation';
import { formatPercent, formatRate, summarize, Tally } from './stats';

/** A cancel may have to wait for the poll it stops and a free activity slot: longer than a create. */
const CANCEL_TIMEOUT_MS = 60_000;
/** Before any level has been built, assume these rates to judge whether a level fits before the deadline. */
const ASSUMED_BUILD_RATE = 10;
const ASSUMED_CANCEL_RATE = 20;

function reportBuild(context: BenchContext, state: RampState, level: number, built: Built, usage: ProcessUsage): void {
  context.report.add({
    measurement: `ramp ${level}: creates building it`,
    n: built.issued,
    ok: built.createMs.length,
    latency: summarize(built.createMs),
    rate: formatRate(built.issued / built.seconds, 'creates'),
    usage,
    notes: [
      cutShort(context.signal),
      `${state.waiting.length} waiting (scanned, polled, long-polled)`,
      built.stoppedEarly ? 'stopped early: too many failures' : '',
      built.createFailures.describe(),
      built.scanFailures.describe(),
      describeBacklogs('peak task-queue backlog', built.peaks),
    ].filter(Boolean).join('; '),
  });
}

/** Reports the hold's rows; answers whether the level broke. */
function reportHold(context: BenchContext, level: number, built: Built, buildUsage: ProcessUsage, held: Held): boolean {
  const { settings, report } = context;
  const holdFailures = new Tally();
  const createMs: number[] = [];
  for (const result of held.newCreates) {
    if (!result.ok) holdFailures.count(result.error);
    else if (result.value.ok) createMs.push(result.value.createMs);
    else holdFailures.count(result.value.reason);
  }
  const gets = held.freshGets.flatMap((result) => (result.ok ? [result.value] : []));
  const createLatency = summarize(createMs);
  const getLatency = summarize(gets);
  report.add({ measurement: `ramp ${level}: new creates in hold`, n: held.newCreates.length, ok: createMs.length, latency: createLatency, notes: holdFailures.describe() });
  report.add({ measurement: `ramp ${level}: fresh GET in hold`, n: held.freshGets.length, ok: gets.length, latency: getLatency, notes: topErrors(held.freshGets) });

  const cadence = summarize(held.cadence);
  const verdict = levelVerdict(
    diagnose({
      waiting: held.waiting,
      // Whether every waiting payment was polled is the hold's to judge, and so is the cadence.
      polled: held.waiting,
      // A payment created but never seen scanned did not reach the level either.
      failed: new Tally([...built.createFailures, ...built.scanFailures]),
      cadenceMedian: null,
      queues: built.peaks,
      usage: buildUsage,
      cores: context.cores,
    }),
    diagnose({
      waiting: held.waiting,
      polled: held.cadence.filter((share) => share > 0).length,
      failed: holdFailures,
      cadenceMedian: cadence.p50,
      queues: held.queues,
      usage: held.usage,
      cores: context.cores,
    }),
  );
  const missed = targetsMissed({
    cadenceMin: cadence.min,
    newCreateP99Ms: createLatency.p99,
    freshGetP99Ms: getLatency.p99,
    workerRssMb: held.usage.rssMb.worker ?? null,
  });
  const outcome = verdict.broken ? `BROKE (${verdict.symptoms.join('; ')})` : missed.length > 0 ? `held below target (${missed.join(', ')})` : 'held';
  report.add({
    measurement: `ramp ${level}: hold ${settings.holdSeconds} s`,
    n: held.waiting,
    ok: held.cadence.filter((share) => share >= LEVEL_TARGETS.cadence).length,
    rate: `poll cadence min ${formatPercent(cadence.min)} median ${formatPercent(cadence.p50)} of 1/${settings.settlePollIntervalMs} ms`,
    usage: held.usage,
    notes: [
      `${outcome}: ${verdict.saturated.join('; ')}`,
      held.longPolls,
      describeBacklogs('task-queue backlog at the end', held.queues),
      describeBacklogs('peak', held.peaks),
    ].join('; '),
  });
  if (verdict.broken) report.remarks.push(`ramp stopped at ${level} waiting payments: ${verdict.saturated[0]}`);
  else if (missed.length > 0) report.remarks.push(`ramp ${level} waiting held below target (${missed.join(', ')}): ${verdict.saturated[0]}`);
  return verdict.broken;
}

/** Null when the level fits before the deadline (leaving time to cancel), else why it is skipped. */
function doesNotFit(context: BenchContext, state: RampState, level: number): string | null {
  const { settings } = context;
  const need = level - state.waiting.length;
  const seconds = need / (state.buildRate ?? ASSUMED_BUILD_RATE) + settings.holdSeconds + settings.requestTimeoutMs / 1000 + level / ASSUMED_CANCEL_RATE;
  const left = (context.deadlineAt - Date.now()) / 1000;
  return seconds > left ? `skipped: needs about ${Math.round(seconds)} s, ${Math.round(left)} s left before the deadline` : null;
}

async function cancelAll(context: BenchContext, state: RampState): Promise<void> {
  for (const { till } of state.waiting) till.stop();
  const ids = [...state.made];
  const started = performance.now();
  const answers = new Tally();
  const results = await runPool({ count: ids.length, concurrency: SIDE_CONCURRENCY, signal: context.signal }, async (index) => {
    answers.count(describeAnswer(await context.posA.cancel(ids[index]!, context.signal, CANCEL_TIMEOUT_MS)));
  });
  const failed = results.filter((result) => !result.ok).length;
  const unsent = ids.length - results.length;
  context.report.remarks.push(
    [
      `ramp cleanup: cancel sent for ${results.length} of ${ids.length} payments in ${Math.round((performance.now() - started) / 1000)} s: ${answers.describe() || 'none answered'}`,
      failed > 0 ? `${failed} without answer: ${topErrors(results, 1)}` : '',
      unsent > 0 ? `${unsent} not sent (the run was stopped; they end with the in-memory dev server)` : '',
      '404 = a create that never started its payment',
    ].filter(Boolean).join('; '),
  );
}

export async function runRamp(context: BenchContext): Promise<void> {
  const { settings, report } = context;
  const state: RampState = { waiting: [], made: new Set(), buildRate: null };
  try {
    for (const level of settings.levels) {
      if (context.signal.aborted) break;
      const skipped = doesNotFit(context, state, level);
      if (skipped) {
        report.add({ measurement: `ramp ${level} waiting`, notes: skipped });
        break;
      }
      const window = context.usage();
      const built = await build(context, state, level);
      const buildUsage = window.end();
      reportBuild(context, state, level, built, buildUsage);
      if (state.waiting.length === 0 || context.signal.aborted) break;

      const held = await hold(context, state, level);
      if (context.signal.aborted) {
        // A window the stop cut short has no verdict: its end readings are missing, not bad.
        report.add({ measurement: `ramp ${level}: hold ${settings.holdSeconds} s`, n: held.waiting, notes: cutShort(context.signal) });
        break;
      }
      const broke = reportHold(context, level, built, buildUsage, held);
      report.gap();
      if (broke) break;
    }
  } finally {
    await cancelAll(context, state);
  }
}
