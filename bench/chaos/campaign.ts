/**
 * One fault campaign from start to verdict: plan the payments, start the topology, run the tills
 * (CHAOS_CONCURRENCY at a time) while the disruptor kills and restarts, give every payment time to
 * become final, then judge each against its provider's ledger. Used by `npm run chaos` and by the
 * short CI version (test/e2e/chaos.test.ts). Every process it started is stopped before it returns.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { PosApi } from '../api';
import { runPool } from '../pool';
import type { Tally } from '../stats';
import { LongPollCounts } from '../till';
import { checkPayments, type Judged } from './check';
import { customers } from './customers';
import { Disruptor, type Disruption } from './disruptor';
import { payseraTable, runPayment, type FlowContext, type FlowRecord } from './flow';
import { planCampaign, type PaymentPlan, type PlanTimeouts } from './plan';
import { RetryingPos } from './pos';
import { RandomDisruptions } from './random-disruptions';
import { SandboxControl } from './sandbox-control';
import { SeqrTills } from './seqr-tills';
import { type ChaosSettings, PROVIDERS, type ProviderName } from './settings';
import { ChaosTopology, MERCHANT_ID, SERVICE_TIMINGS } from './topology';

export type { Judged } from './check';

export interface CampaignResult {
  settings: ChaosSettings;
  judged: Judged[];
  disruptions: Disruption[];
  missedTargets: string[];
  unexpectedExits: string[];
  tillRepeats: Tally;
  longPolls: string;
  seqrTills: number;
  /** Why the campaign stopped before its end (deadline, interruption, an error), or null. */
  cutShort: string | null;
  wallSeconds: number;
  conditions: string[];
}

export interface CampaignHooks {
  /** Ctrl-C: stop everything now (the check is skipped). */
  signal: AbortSignal;
  log: (line: string) => void;
}

/** Payers get time for a few worker restarts; walkers the shortest their provider allows here (SEQR: one cashier window). */
const TIMEOUTS: PlanTimeouts = {
  payerSeconds: 240,
  walkAwaySeconds: { settle: 8, tabby: 8, seqr: Number(SERVICE_TIMINGS.SEQR_WINDOW_SECONDS), paysera: 8 },
};
/** A step (customer seen, capture, refund, final) may take a worker restart, an activity's 20 s start-to-close and backoff. */
const STEP_TIMEOUT_MS = 180_000;
/** A till repeats one command for at most this long. */
const TILL_GIVES_UP_MS = 300_000;
const CHECK_READ_GIVES_UP_MS = 60_000;

function sandboxControls(topology: ChaosTopology, signal: AbortSignal): Record<ProviderName, SandboxControl> {
  return Object.fromEntries(PROVIDERS.map((provider) => [provider, new SandboxControl(provider, topology.sandboxUrls[provider], signal)])) as Record<ProviderName, SandboxControl>;
}

/** The tills at work, CHAOS_CONCURRENCY at a time; random disruptions are due by the share of payments started. */
async function runTills(plans: readonly PaymentPlan[], concurrency: number, context: FlowContext, random: RandomDisruptions, log: (line: string) => void): Promise<FlowRecord[]> {
  let started = 0;
  let finished = 0;
  const results = await runPool({ count: plans.length, concurrency, signal: context.signal }, async (index) => {
    started += 1;
    random.progress(started / plans.length);
    const flow = await runPayment(plans[index]!, context);
    finished += 1;
    if (finished % 20 === 0) log(`${finished} of ${plans.length} payments done at the tills`);
    return flow;
  });
  await random.settled();
  return results.flatMap((result) => (result.ok ? [result.value] : []));
}

export async function runCampaign(settings: ChaosSettings, hooks: CampaignHooks): Promise<CampaignResult> {
  const began = performance.now();
  const plans = planCampaign(settings, Date.now().toString(36), TIMEOUTS);
  hooks.log(`starting the dev server, the four sandboxes, the worker and the ingress; ${plans.length} payments planned (seed ${settings.seed})`);
  const topology = await ChaosTopology.start(plans.filter((plan) => plan.provider === 'paysera').map(payseraTable), hooks.log);

  // The load stops at the deadline or on Ctrl-C; the check after it only on Ctrl-C.
  const load = new AbortController();
  // Every till, request and long poll listens to it: many listeners are expected.
  setMaxListeners(0, load.signal);
  const deadline = setTimeout(() => load.abort(new Error(`CHAOS_DEADLINE_SECONDS=${settings.deadlineSeconds} reached`)), settings.deadlineSeconds * 1000);
  const onStop = () => load.abort(new Error('interrupted'));
  hooks.signal.addEventListener('abort', onStop, { once: true });

  const disruptor = new Disruptor(topology, began, hooks.log);
  const stopSupervising = disruptor.supervise();
  const api = new PosApi(topology.ingressUrl, topology.apiKey, MERCHANT_ID, CHECK_READ_GIVES_UP_MS);
  const pos = new RetryingPos(api, load.signal, TILL_GIVES_UP_MS);
  const counts = new LongPollCounts();
  const seqrTills = new SeqrTills(pos);
  let cutShort: string | null = null;
  let judged: Judged[] = [];
  try {
    const sandboxes = sandboxControls(topology, load.signal);
    const context: FlowContext = {
      pos,
      customers: customers(sandboxes, { stepTimeoutMs: STEP_TIMEOUT_MS, signal: load.signal }),
      sandboxes,
      disruptor,
      seqrTills,
      payseraLocationId: topology.sandboxEnv.PAYSERA_LOCATION_ID ?? '3',
      counts,
      signal: load.signal,
      stepTimeoutMs: STEP_TIMEOUT_MS,
      holdMs: settings.holdMs,
    };
    const flows = await runTills(plans, settings.concurrency, context, new RandomDisruptions(settings, disruptor), hooks.log);
    if (load.signal.aborted) cutShort = (load.signal.reason as Error).message;
    if (!hooks.signal.aborted) {
      hooks.log(`tills done; waiting up to ${settings.settleSeconds} s for every payment to be final`);
      judged = await checkPayments(flows, new RetryingPos(api, hooks.signal, CHECK_READ_GIVES_UP_MS), sandboxControls(topology, hooks.signal), settings.settleSeconds, hooks.signal);
    }
  } catch (error) {
    cutShort = `stopped by an error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`;
  } finally {
    clearTimeout(deadline);
    hooks.signal.removeEventListener('abort', onStop);
    stopSupervising();
    load.abort(new Error('campaign over'));
    hooks.log('stopping every process the campaign started');
    await topology.stop();
  }
  return {
    settings,
    judged,
    disruptions: disruptor.done,
    missedTargets: disruptor.missed,
    unexpectedExits: disruptor.unexpectedExits,
    tillRepeats: pos.repeats,
    longPolls: counts.describe(),
    seqrTills: seqrTills.count,
    cutShort,
    wallSeconds: Math.round((performance.now() - began) / 1000),
    conditions: topology.describe(),
  };
}

/** Anomalies decide the exit code; a process that died without being killed counts as one too. */
export function anomalyCount(result: CampaignResult): number {
  const verdicts = result.judged.flatMap((entry) => entry.verdicts).filter((verdict) => verdict.kind === 'anomaly').length;
  return verdicts + result.unexpectedExits.length;
}
