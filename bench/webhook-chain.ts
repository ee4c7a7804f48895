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

/**
 * The chain's steps for these payments, each from the approval: the webhook answered, the poll's
 * answer recorded, the workflow task that takes it started, the memo carrying the new state, the
 * till answered. Payments whose steps cannot all be found (e.g. the poll ended before the approval)
 * are left out of every step.
 */
export async function webhookChain(client: Client, sandboxUrl: string, taskQueue: string, payments: ApprovalSeen[], signal: AbortSignal): Promise<ChainStep[]> {
  const log = await callJson<CallbackAttempt[]>('GET', `${sandboxUrl}/_sandbox/callbacks`, { timeoutMs: 30_000, signal });
  if (log.status !== 200) throw new Error(`the sandbox's callback log answered ${log.status}`);
  const steps = { webhook: [] as number[], poll: [] as number[], task: [] as number[], memo: [] as number[], till: [] as number[] };
  for (const seen of payments) {
    const webhook = webhookAnsweredAt(log.body, seen);
    const { events } = await client.workflow.getHandle(seen.paymentId).fetchHistory();
    const times = historyTimes(events ?? [], waitsTaskQueue(taskQueue), seen.approvedAt);
    if (webhook === null || times === null) continue;
    steps.webhook.push(webhook - seen.approvedAt);
    steps.poll.push(times.pollAnswered - seen.approvedAt);
    steps.task.push(times.taskStarted - seen.approvedAt);
    steps.memo.push(times.memoChanged - seen.approvedAt);
    steps.till.push(seen.tillAnsweredAt - seen.approvedAt);
  }
  return [
    { label: 'webhook answered by the ingress (the wake has nudged the poll)', fromApproval: summarize(steps.webhook) },
    { label: "poll's answer recorded in the history", fromApproval: summarize(steps.poll) },
    { label: 'workflow task with that answer started on the worker', fromApproval: summarize(steps.task) },
    { label: 'memo with the new state recorded', fromApproval: summarize(steps.memo) },
    { label: "till's long poll answered", fromApproval: summarize(steps.till) },
  ];
}
