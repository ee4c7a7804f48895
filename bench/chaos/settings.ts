/**
 * What a chaos campaign does, from `CHAOS_*` variables: how many payments, how many random kills
 * and restarts, which targeted kills, and how long everything may take. Parsed once and printed
 * with the figures, so a report always says what produced it (the seed makes a run repeatable as
 * far as timing allows).
 */
import { integerAtLeast, positiveInt, type Env } from '../settings';

/**
 * The providers a campaign exercises: the built-in four, whose sandboxes it drives and whose
 * ledgers it reads (ledgers.ts), so the list is the campaign's own, not the service's plugin list.
 */
export const PROVIDERS = ['settle', 'tabby', 'seqr', 'paysera'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** Who is SIGKILLed at a targeted moment. */
export const VICTIMS = ['worker', 'ingress'] as const;
export type Victim = (typeof VICTIMS)[number];

/** The provider call held in flight at the sandbox when the victim is killed. */
export const MOMENTS = ['create', 'capture', 'refund'] as const;
export type Moment = (typeof MOMENTS)[number];

export interface Target {
  victim: Victim;
  moment: Moment;
  provider: ProviderName;
}

/** SEQR invoices are paid at once: there is no capture call to hold. */
export function targetPossible(target: Target): boolean {
  return !(target.moment === 'capture' && target.provider === 'seqr');
}

/**
 * By default the worker dies once during every provider's create and refund and every capture that
 * exists, and the ingress once while a till's SEQR refund command is in flight (the till must retry
 * it with the same refund_id, and SEQR has no refund idempotency of its own).
 */
const DEFAULT_TARGETS = [
  ...PROVIDERS.map((provider) => `worker:create:${provider}`),
  ...PROVIDERS.filter((provider) => provider !== 'seqr').map((provider) => `worker:capture:${provider}`),
  ...PROVIDERS.map((provider) => `worker:refund:${provider}`),
  'ingress:refund:seqr',
].join(',');

export interface ChaosSettings {
  payments: number;
  /** Tills working at once. */
  concurrency: number;
  seed: number;
  /** Kills at random moments (spread over the campaign's progress), besides the targeted ones. */
  randomWorkerKills: number;
  randomIngressKills: number;
  /** Dev server restarts with its SQLite data kept. */
  temporalRestarts: number;
  targets: Target[];
  /** How long a provider call is held at the sandbox for a targeted kill (below PROVIDER_REQUEST_TIMEOUT_MS). */
  holdMs: number;
  /** After the last till is done, how long payments still get to become final before they count as stuck. */
  settleSeconds: number;
  /**
   * The tills' work once the topology runs: at the deadline they stop, the payments still get
   * `settleSeconds` to become final and are checked, and the run counts as cut short (exit 2).
   */
  deadlineSeconds: number;
}

function parseTarget(text: string): Target {
  const [victim, moment, provider, ...rest] = text.split(':');
  const target = { victim, moment, provider } as Target;
  const valid =
    rest.length === 0 &&
    (VICTIMS as readonly string[]).includes(victim ?? '') &&
    (MOMENTS as readonly string[]).includes(moment ?? '') &&
    (PROVIDERS as readonly string[]).includes(provider ?? '');
  if (!valid || !targetPossible(target)) {
    throw new Error(`CHAOS_TARGETS takes victim:moment:provider items (${VICTIMS.join('|')}:${MOMENTS.join('|')}:${PROVIDERS.join('|')}, no SEQR capture), got ${text}`);
  }
  return target;
}

export function describeTarget(target: Target): string {
  return `${target.victim}:${target.moment}:${target.provider}`;
}

export function loadChaosSettings(env: Env = process.env): ChaosSettings {
  const targets = (env.CHAOS_TARGETS ?? DEFAULT_TARGETS).split(',').map((item) => item.trim()).filter(Boolean).map(parseTarget);
  const payments = positiveInt(env, 'CHAOS_PAYMENTS', 200);
  if (targets.length > payments) throw new Error(`CHAOS_TARGETS names ${targets.length} targeted kills but CHAOS_PAYMENTS is only ${payments}: each needs a payment of its own`);
  return {
    payments,
    concurrency: positiveInt(env, 'CHAOS_CONCURRENCY', 12),
    seed: integerAtLeast(env, 'CHAOS_SEED', Date.now() % 1_000_000, 0),
    randomWorkerKills: integerAtLeast(env, 'CHAOS_WORKER_KILLS', 4, 0),
    randomIngressKills: integerAtLeast(env, 'CHAOS_INGRESS_KILLS', 3, 0),
    temporalRestarts: integerAtLeast(env, 'CHAOS_TEMPORAL_RESTARTS', 1, 0),
    targets,
    holdMs: positiveInt(env, 'CHAOS_HOLD_MS', 2500),
    settleSeconds: positiveInt(env, 'CHAOS_SETTLE_SECONDS', 240),
    deadlineSeconds: positiveInt(env, 'CHAOS_DEADLINE_SECONDS', 1200),
  };
}

export function settingsLine(settings: ChaosSettings): string {
  return [
    `CHAOS_PAYMENTS=${settings.payments}`,
    `CHAOS_CONCURRENCY=${settings.concurrency}`,
    `CHAOS_SEED=${settings.seed}`,
    `CHAOS_WORKER_KILLS=${settings.randomWorkerKills}`,
    `CHAOS_INGRESS_KILLS=${settings.randomIngressKills}`,
    `CHAOS_TEMPORAL_RESTARTS=${settings.temporalRestarts}`,
    `CHAOS_TARGETS=${settings.targets.map(describeTarget).join(',') || '(none)'}`,
    `CHAOS_HOLD_MS=${settings.holdMs}`,
    `CHAOS_SETTLE_SECONDS=${settings.settleSeconds}`,
    `CHAOS_DEADLINE_SECONDS=${settings.deadlineSeconds}`,
  ].join(' ');
}
