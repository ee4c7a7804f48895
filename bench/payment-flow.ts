/**
 * One Settle payment as it happens at a till: the till creates it and keeps long-polling it, the
 * customer scans the QR (the scan callback makes the service create Settle's payment request) and
 * later approves in the app (the approval callback is the webhook the service reacts to).
 */
import { performance } from 'node:perf_hooks';
import { describeAnswer, type PaymentView, type PosApi, type SettleCustomer } from './api';
import { CallFailed } from './http';
import { Till, type LongPollCounts } from './till';
import type { ApprovalSeen } from './webhook-chain';

export interface Order {
  posId: string;
  posTid: string;
  timeoutSeconds?: number;
}

export interface FlowContext {
  settle: SettleCustomer;
  counts: LongPollCounts;
  signal: AbortSignal;
  /** How long one step (scan seen, approval seen, captured) may take before the payment counts as failed. */
  stepTimeoutMs: number;
}

export type CreateOutcome =
  | { ok: true; payment: PaymentView; createMs: number }
  /** `reason` is short and shared by like failures (`503 capacity_exhausted`, `timeout`); `error` is the full message. */
  | { ok: false; id: string; createMs: number; reason: string; error: string };

/** One timed create; a failure is an outcome here, not an exception: the ramp counts them by reason. */
export async function tryCreate(pos: PosApi, order: Order, signal: AbortSignal): Promise<CreateOutcome> {
  const id = pos.paymentId(order.posId, order.posTid);
  const started = performance.now();
  try {
    const answer = await pos.create(order, signal);
    if (answer.status === 201 && answer.body.qr) return { ok: true, payment: answer.body, createMs: answer.ms };
    const reason = describeAnswer(answer);
    return { ok: false, id, createMs: answer.ms, reason, error: `create answered ${reason}` };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, id, createMs: performance.now() - started, reason: error instanceof CallFailed ? error.kind : message, error: message };
  }
}

export type Created = { ok: true; id: string; createMs: number; till: Till } | Extract<CreateOutcome, { ok: false }>;

/** Creates the payment (timed) and puts it on a till that long-polls it from now on. */
export async function createOnTill(pos: PosApi, order: Order, context: FlowContext): Promise<Created> {
  const outcome = await tryCreate(pos, order, context.signal);
  if (!outcome.ok) return outcome;
  return { ok: true, id: outcome.payment.id, createMs: outcome.createMs, till: new Till(pos, outcome.payment, context.counts, context.signal) };
}

/** The customer scans; resolves with Settle's tid once the till shows it (the payment request exists and is being polled). */
export async function scanAtTill(till: Till, context: FlowContext): Promise<string> {
  await context.settle.scan(till.payment.qr!.content, context.signal);
  const { payment } = await till.until((p) => p.provider_reference.tid !== undefined, context.stepTimeoutMs, 'scanned');
  return payment.provider_reference.tid!;
}

export interface Paid {
  createMs: number;
  /** From the approve call returning at the sandbox to the till's long poll answering with the new state. */
  approveToTillMs: number;
  newState: string;
  /** The same two moments on the wall clock, to set beside the history's and the sandbox's times. */
  approval: ApprovalSeen;
}

/** The whole happy path on `pos`: create, scan, approve, captured. Throws (with the reason) when a step fails. */
export async function payOnce(pos: PosApi, order: Order, context: FlowContext): Promise<Paid> {
  const created = await createOnTill(pos, order, context);
  if (!created.ok) throw new Error(created.error);
  const { till } = created;
  try {
    const tid = await scanAtTill(till, context);
    await context.settle.approve(tid, context.signal);
    const approvedAt = performance.now();
    const changed = await till.until((p) => p.state !== 'awaiting_customer', context.stepTimeoutMs, 'approved');
    await till.until((p) => p.state === 'captured', context.stepTimeoutMs, 'captured');
    const wallClock = (at: number) => performance.timeOrigin + at;
    return {
      createMs: created.createMs,
      approveToTillMs: changed.at - approvedAt,
      newState: changed.payment.state,
      approval: { paymentId: created.id, tid, approvedAt: wallClock(approvedAt), tillAnsweredAt: wallClock(changed.at) },
    };
  } finally {
    till.stop();
  }
}
