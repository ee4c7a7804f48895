/**
 * Webhook → till: how long after the customer's approval returns at Settle the till's long poll
 * answers with the new state. Settle's callback (the webhook) always goes to ingress A; the till
 * long-polls on A (same ingress), then on B (the webhook arrives at another process). Each runs at every
 * count in flight that BENCH_LATENCY_CONCURRENCY names: alone, a payment's latency is its chain's
 * own; with others in flight, it adds their queueing for the machine's CPU.
 */
import type { PosApi } from './api';
import type { BenchContext } from './context';
import { latencyVerdict, WEBHOOK_TO_TILL_P99_MS, type LighterRow } from './latency-verdict';
import { payOnce } from './payment-flow';
import { cutShort, runPool, topErrors } from './pool';
import { summarize } from './stats';
import { webhookChain, type TailBreakdown } from './webhook-chain';

interface Variant {
  pos: PosApi;
  label: string;
  tag: string;
  targetMs: number;
}

/** One row and its chain; returns the row's p99 for the verdict of a busier row of the same variant. */
async function measureOn(context: BenchContext, variant: Variant, inFlight: number, lighter: LighterRow | null): Promise<LighterRow> {
  const { settings } = context;
  const { pos, tag, targetMs } = variant;
  const label = `${variant.label}, ${inFlight} in flight`;
  const window = context.usage();
  const results = await runPool({ count: settings.latencyPayments, concurrency: inFlight, signal: context.signal }, (index) =>
    payOnce(pos, { posId: `bench-latency-${tag}`, posTid: `${context.runId}-${inFlight}-${index}` }, context.flow),
  );
  const usage = window.end();
  const paid = results.flatMap((result) => (result.ok ? [result.value] : []));
  const latency = summarize(paid.map((payment) => payment.approveToTillMs));
  const firstSeen = new Map<string, number>();
  for (const payment of paid) firstSeen.set(payment.newState, (firstSeen.get(payment.newState) ?? 0) + 1);
  context.report.add({
    measurement: `webhook → till, ${label}`,
    n: results.length,
    ok: paid.length,
    latency,
    rate: `${inFlight} in flight`,
    usage,
    notes: [cutShort(context.signal), `state first seen: ${[...firstSeen].map(([state, n]) => `${state} ${n}`).join(', ')}`, topErrors(results)].filter(Boolean).join('; '),
  });
  let tail: TailBreakdown | null = null;
  try {
    const chain = await webhookChain(context.client, context.topology.settleSandboxUrl, settings.taskQueues[0]!, paid.map((payment) => payment.approval), context.signal);
    for (const step of chain.steps) {
      context.report.add({ measurement: `  from approval: ${step.label}`, n: paid.length, ok: step.fromApproval.n, latency: step.fromApproval });
    }
    tail = chain.tail;
  } catch (error) {
    // A breakdown that cannot be read leaves the row as measured and the rest of the bench running.
    context.report.remarks.push(`webhook → till, ${label}: its steps could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const verdict = latencyVerdict({ label: `webhook → till, ${label}`, p99Ms: latency.p99, targetMs, tail, usage, cores: context.cores, lighter });
  if (verdict !== null) context.report.remarks.push(verdict);
  return { inFlight, p99Ms: latency.p99 };
}

export async function measureWebhookLatency(context: BenchContext): Promise<void> {
  const variants: Variant[] = [
    { pos: context.posA, label: 'till on A = webhook ingress', tag: 'a', targetMs: WEBHOOK_TO_TILL_P99_MS.sameIngress },
    { pos: context.posB, label: 'till on B, webhooks to A', tag: 'b', targetMs: WEBHOOK_TO_TILL_P99_MS.acrossIngresses },
  ];
  for (const variant of variants) {
    let lightest: LighterRow | null = null;
    for (const inFlight of context.settings.latencyConcurrency) {
      const row = await measureOn(context, variant, inFlight, lightest !== null && lightest.inFlight < inFlight ? lightest : null);
      if (lightest === null || inFlight < lightest.inFlight) lightest = row;
    }
  }
}
