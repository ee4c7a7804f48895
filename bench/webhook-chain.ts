/**
 * Where webhook → till's time goes. Each step of the chain leaves a timestamp somewhere: the
 * sandbox logs when the service answered its callback (the wake has nudged the poll by then), the
 * payment's history records when the poll's answer arrived, when the workflow task that takes it
 * started and when the memo carried the new state, and the till knows when its long poll answered. All are wall-clock times of this one machine, so
 * each is measured from the approval. Read after the measurement window: reading histories is not
 * part of what the row costs.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { callJson } from './http';
import { summarize, type Summary } from './stats';
import { waitsTaskQueue } from '../workflows/task-queues';

/** One payment's approval and the till's answer, wall clock (epoch ms). */
export interface ApprovalSeen {
  paymentId: string;
  tid: string;
  approvedAt: number;
  tillAnsweredAt: number;
}

export interface ChainStep {
  label: string;
  fromApproval: Summary;
}

interface CallbackAttempt {
  tid: string | null;
  status: number | null;
  at: string;
}

/** The first callback about `tid` the service acknowledged after the approval. */
function webhookAnsweredAt(log: CallbackAttempt[], seen: ApprovalSeen): number | null {
  const answered = log
    .filter((attempt) => attempt.tid === seen.tid && attempt.status !== null && attempt.status < 300)
    .map((attempt) => Date.parse(attempt.at))
    .filter((at) => at >= seen.approvedAt);
  return answered.length > 0 ? Math.min(...answered) : null;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

/** An event's time in epoch ms; `seconds` is a Long from the client and a number from a JSON history. */
function eventMs(event: HistoryEvent): number {
  const { seconds, nanos } = event.eventTime ?? {};
  return Number(String(seconds ?? 0)) * 1000 + Math.floor((nanos ?? 0) / 1e6);
}

/**
 * When the poll's answer arrived after `approvedAt`, when the next workflow task started and when
 * the memo next changed, from a payment's history; null when the history has no such answer.
 */
export function historyTimes(events: HistoryEvent[], waitsQueue: string, approvedAt: number): { pollAnswered: number; taskStarted: number; memoChanged: number } | null {
  const polls = new Set(
    events.filter((event) => event.activityTaskScheduledEventAttributes?.taskQueue?.name === waitsQueue).map((event) => Number(event.eventId)),
  );
  const pollAnswer = events.find((event) =>
    event.activityTaskCompletedEventAttributes &&
    polls.has(Number(event.activityTaskCompletedEventAttributes.scheduledEventId)) &&
    eventMs(event) >= approvedAt);
  if (!pollAnswer) return null;
  const after = (event: HistoryEvent) => Number(event.eventId) > Number(pollAnswer.eventId);
  const taskStarted = events.find((event) => event.workflowTaskStartedEventAttributes && after(event));
  const memo = events.find((event) => event.workflowPropertiesModifiedEventAttributes && after(event));
  if (!taskStarted || !memo) return null;
  return { pollAnswered: eventMs(pollAnswer), taskStarted: eventMs(taskStarted), memoChanged: eventMs(memo) };
}

const STEP_LABELS = [
  'webhook answered by the ingress (the wake has nudged the poll)',
  "poll's answer recorded in the history",
  'workflow task with that answer started on the worker',
  'memo with the new state recorded',
  "till's long poll answered",
] as const;

export interface Chain {
  steps: ChainStep[];
  tail: TailBreakdown | null;
}

/** Where the slowest payments' time went: each step's own share, on average over them. */
export interface TailBreakdown {
  payments: number;
  /** The fastest of them, approval → till (ms). */
  fromMs: number;
  /** Per step: the time from the latest earlier step to this one (0 when it overlapped), averaged. */
  ownMs: { label: string; ms: number }[];
}

/**
 * The slowest `share` of the payments (at least one), each payment's chain taken apart into its
 * steps' own times. Steps overlap (the nudged poll may answer before the ingress answers the
 * webhook), so a step's own time starts at the latest step before it: the own times of one payment
 * add up to its approval → till.
 */
export function tailBreakdown(chains: readonly (readonly number[])[], labels: readonly string[], share: number): TailBreakdown | null {
  if (chains.length === 0) return null;
  const slowest = [...chains].sort((a, b) => (b.at(-1) ?? 0) - (a.at(-1) ?? 0)).slice(0, Math.max(1, Math.floor(chains.length * share)));
  const ownMs = labels.map((label, step) => {
    const own = slowest.map((chain) => Math.max(0, chain[step]! - Math.max(0, ...chain.slice(0, step))));
    return { label, ms: own.reduce((sum, ms) => sum + ms, 0) / own.length };
  });
  return { payments: slowest.length, fromMs: Math.min(...slowest.map((chain) => chain.at(-1) ?? 0)), ownMs };
}

/** The share of slowest payments the tail breakdown takes apart: the ones a p95 and p99 are made of. */
const TAIL_SHARE = 0.05;

/**
 * The chain's steps for these payments, each from the approval: the webhook answered, the poll's
 * answer recorded, the workflow task that takes it started, the memo carrying the new state, the
 * till answered; and where the slowest payments spent their time. Payments whose steps cannot all be
 * found (e.g. the poll ended before the approval) are left out of every step.
 */
export async function webhookChain(client: Client, sandboxUrl: string, taskQueue: string, payments: ApprovalSeen[], signal: AbortSignal): Promise<Chain> {
  const log = await callJson<CallbackAttempt[]>('GET', `${sandboxUrl}/_sandbox/callbacks`, { timeoutMs: 30_000, signal });
  if (log.status !== 200) throw new Error(`the sandbox's callback log answered ${log.status}`);
  const chains: number[][] = [];
  for (const seen of payments) {
    const webhook = webhookAnsweredAt(log.body, seen);
    const { events } = await client.workflow.getHandle(seen.paymentId).fetchHistory();
    const times = historyTimes(events ?? [], waitsTaskQueue(taskQueue), seen.approvedAt);
    if (webhook === null || times === null) continue;
    chains.push([webhook, times.pollAnswered, times.taskStarted, times.memoChanged, seen.tillAnsweredAt].map((at) => at - seen.approvedAt));
  }
  return {
    steps: STEP_LABELS.map((label, step) => ({ label, fromApproval: summarize(chains.map((chain) => chain[step]!)) })),
    tail: tailBreakdown(chains, STEP_LABELS, TAIL_SHARE),
  };
}
