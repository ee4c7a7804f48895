/**
 * What each payment of the campaign is meant to go through, decided up front from the seed: the
 * provider (the four in turn), the capture mode, what the customer does, what the till does once the
 * money is held or taken, and which payments carry a targeted kill. The flows follow the plan as far
 * as reality lets them: a plan is an intention, the invariant check judges what really happened.
 */
import { type CaptureMode } from '../../workflows/payment';
import { targetPossible, type ChaosSettings, type Target, PROVIDERS, type ProviderName } from './settings';

export type CustomerMove =
  /** Pays (Settle/Tabby approve, SEQR pay, Paysera reserve). */
  | 'pays'
  | 'rejects'
  /** Never completes; the payment's own timeout ends it. */
  | 'walks_away'
  /** The cashier cancels before the customer does anything more. */
  | 'till_cancels'
  /** The customer pays while the cashier cancels: either may win, the provider decides. */
  | 'races_cancel';

export interface RefundStep {
  refundId: string;
  /** Share of the captured amount, or what is left to refund. */
  share: number | 'rest';
  /** The till sends the very same refund again after it succeeded (a lost answer, a double tap). */
  repeat: boolean;
  /** The targeted kill of this payment strikes during this refund. */
  targeted: boolean;
}

export type AfterAuthorization = { kind: 'capture'; share: number } | { kind: 'cancel' };

export interface PaymentPlan {
  index: number;
  provider: ProviderName;
  posTid: string;
  amount: number;
  currency: string;
  captureMode: CaptureMode;
  timeoutSeconds: number;
  customer: CustomerMove;
  /** Settle scan, SEQR sticker scan or Paysera check-in happens even when the customer then walks away or the till cancels. */
  arrives: boolean;
  /** Tabby: the customer's approval captures at once, or leaves the payment AUTHORIZED for the service to capture. */
  tabbyAutoCapture: boolean;
  /** Manual mode: what the till does once the payment is authorized. */
  afterAuthorization: AfterAuthorization;
  refunds: RefundStep[];
  target: Target | null;
}

export const CURRENCY: Record<ProviderName, string> = { settle: 'EUR', tabby: 'AED', seqr: 'SEK', paysera: 'EUR' };

/** Payers get long enough for a worker restart or two; walkers are given the shortest wait their provider allows here. */
export interface PlanTimeouts {
  payerSeconds: number;
  walkAwaySeconds: Record<ProviderName, number>;
}

/** mulberry32: a small seeded generator, so a seed names a campaign. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

type Random = () => number;

function pick<T>(random: Random, weighted: readonly (readonly [T, number])[]): T {
  const total = weighted.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = random() * total;
  for (const [value, weight] of weighted) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return weighted[weighted.length - 1]![0];
}

function refundsFor(provider: ProviderName, random: Random): RefundStep[] {
  const step = (refundId: string, share: number | 'rest'): RefundStep => ({ refundId, share, repeat: random() < 0.2, targeted: false });
  // Paysera refunds only the whole payment (README, "Paysera specifics").
  if (provider === 'paysera') return random() < 0.4 ? [step('r1', 'rest')] : [];
  return pick(random, [
    [[], 4],
    [[step('r1', 0.3)], 2],
    [[step('r1', 0.3), step('r2', 'rest')], 2],
    [[step('r1', 'rest')], 2],
  ]);
}

function randomPlan(index: number, runId: string, timeouts: PlanTimeouts, random: Random): PaymentPlan {
  const provider = PROVIDERS[index % PROVIDERS.length]!;
  // SEQR invoices are paid at once: no manual mode.
  const captureMode: CaptureMode = provider !== 'seqr' && random() < 0.3 ? 'manual' : 'auto';
  const customer = pick<CustomerMove>(random, [['pays', 70], ['rejects', 8], ['walks_away', 8], ['till_cancels', 8], ['races_cancel', 6]]);
  return {
    index,
    provider,
    posTid: `${runId}-${index}`,
    amount: 500 + Math.floor(random() * 19_500),
    currency: CURRENCY[provider],
    captureMode,
    timeoutSeconds: customer === 'walks_away' ? timeouts.walkAwaySeconds[provider] : timeouts.payerSeconds,
    customer,
    arrives: random() < 0.6,
    // Auto-capture is a Tabby merchant setting: a merchant who captures by hand has it off.
    tabbyAutoCapture: captureMode === 'auto' && random() < 0.5,
    afterAuthorization: pick<AfterAuthorization>(random, [[{ kind: 'capture', share: 1 }, 5], [{ kind: 'capture', share: 0.6 }, 3], [{ kind: 'cancel' }, 2]]),
    refunds: refundsFor(provider, random),
    target: null,
  };
}

/** A payment reshaped so that it surely reaches the call its target holds. */
function targetedPlan(plan: PaymentPlan, target: Target, timeouts: PlanTimeouts): PaymentPlan {
  const paying = { ...plan, customer: 'pays' as const, arrives: true, timeoutSeconds: timeouts.payerSeconds, target };
  switch (target.moment) {
    case 'create':
      return { ...paying, captureMode: 'auto', tabbyAutoCapture: true, refunds: [] };
    case 'capture':
      return { ...paying, captureMode: 'manual', tabbyAutoCapture: false, afterAuthorization: { kind: 'capture', share: plan.provider === 'paysera' ? 1 : 0.8 }, refunds: [] };
    case 'refund':
      return {
        ...paying,
        captureMode: 'auto',
        tabbyAutoCapture: true,
        refunds: [{ refundId: 'r1', share: plan.provider === 'paysera' ? 'rest' : 0.5, repeat: false, targeted: true }],
      };
  }
}

/**
 * Targets are spread evenly over the campaign, each on the nearest payment of its provider that
 * carries no target yet.
 */
function targetIndex(plans: readonly PaymentPlan[], target: Target, desired: number): number {
  for (let distance = 0; distance < plans.length; distance += 1) {
    for (const index of [desired + distance, desired - distance]) {
      const plan = plans[index];
      if (plan && plan.provider === target.provider && plan.target === null) return index;
    }
  }
  throw new Error(`no payment of ${target.provider} is left for a targeted kill: raise CHAOS_PAYMENTS`);
}

export function planCampaign(settings: Pick<ChaosSettings, 'payments' | 'seed' | 'targets'>, runId: string, timeouts: PlanTimeouts): PaymentPlan[] {
  const random = seededRandom(settings.seed);
  const plans = Array.from({ length: settings.payments }, (_, index) => randomPlan(index, runId, timeouts, random));
  const targets = settings.targets.filter(targetPossible);
  targets.forEach((target, k) => {
    const index = targetIndex(plans, target, Math.floor(((k + 0.5) * plans.length) / targets.length));
    plans[index] = targetedPlan(plans[index]!, target, timeouts);
  });
  return plans;
}
