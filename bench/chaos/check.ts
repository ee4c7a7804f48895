/**
 * After the tills are done: give every payment time to become final (reading it as a till would),
 * then judge each against its provider's ledger.
 */
import { setTimeout as delay } from 'node:timers/promises';
import type { PaymentResource } from '../../workflows/payment';
import type { ProviderName } from './settings';
import { runPool } from '../pool';
import { isFinal, type FlowRecord } from './flow';
import { judge, type Verdict } from './invariants';
import { readLedger, type ProviderLedger } from './ledgers';
import type { RetryingPos } from './pos';
import type { SandboxControl } from './sandbox-control';

export interface Judged {
  flow: FlowRecord;
  /** Null when the service never had the payment (its create was refused or never answered). */
  payment: PaymentResource | null;
  ledger: ProviderLedger | null;
  verdicts: Verdict[];
}

const SWEEP_PAUSE_MS = 2000;
const SWEEP_CONCURRENCY = 8;

/** Reads every payment until it is final or `until` passes; null for a payment the service does not know. */
async function finalPayments(pos: RetryingPos, ids: readonly string[], until: number, signal: AbortSignal): Promise<Map<string, PaymentResource | null>> {
  const seen = new Map<string, PaymentResource | null>();
  let open = [...ids];
  for (;;) {
    const round = open;
    await runPool({ count: round.length, concurrency: SWEEP_CONCURRENCY, signal }, async (index) => {
      const id = round[index]!;
      const answer = await pos.send<PaymentResource>('final read', 'GET', `/v1/payments/${id}`);
      seen.set(id, answer.status === 200 ? answer.body : null);
    });
    open = round.filter((id) => {
      const payment = seen.get(id);
      return payment === undefined || (payment !== null && !isFinal(payment));
    });
    if (open.length === 0 || Date.now() > until || signal.aborted) return seen;
    await delay(SWEEP_PAUSE_MS, undefined, { signal }).catch(() => undefined);
  }
}

async function judgeFlow(flow: FlowRecord, payments: Map<string, PaymentResource | null>, sandboxes: Record<ProviderName, SandboxControl>): Promise<Judged> {
  if (!payments.has(flow.id)) return { flow, payment: null, ledger: null, verdicts: [{ kind: 'anomaly', text: 'the service answered no read of it at the end' }] };
  const payment = payments.get(flow.id) ?? null;
  if (payment === null) {
    // No workflow, so no provider was ever called for it.
    return { flow, payment, ledger: null, verdicts: [{ kind: 'note', text: `the service has no such payment${flow.notes.length > 0 ? ` (${flow.notes.join('; ')})` : ''}` }] };
  }
  const ledger = await readLedger(sandboxes, payment);
  return { flow, payment, ledger, verdicts: judge(payment, ledger) };
}

export async function checkPayments(flows: readonly FlowRecord[], pos: RetryingPos, sandboxes: Record<ProviderName, SandboxControl>, settleSeconds: number, signal: AbortSignal): Promise<Judged[]> {
  const payments = await finalPayments(pos, flows.map((flow) => flow.id), Date.now() + settleSeconds * 1000, signal);
  const judged: Judged[] = [];
  for (const flow of flows) judged.push(await judgeFlow(flow, payments, sandboxes));
  return judged;
}
