/**
 * Webhook → till: how long after the customer's approval returns at Settle the till's long poll
 * answers with the new state. Settle's callback (the webhook) always goes to ingress A; the till
 * long-polls on A (same ingress), then on B (the webhook arrives at another process).
 */
import type { PosApi } from './api';
import type { BenchContext } from './context';
import { payOnce } from './payment-flow';
import { cutShort, runPool, topErrors } from './pool';
import { summarize } from './stats';
import { webhookChain } from './webhook-chain';

async function measureOn(context: BenchContext, pos: PosApi, label: string, tag: string): Promise<void> {
  const { settings } = context;
  const window = context.usage();
  const results = await runPool({ count: settings.latencyPayments, concurrency: settings.latencyConcurrency, signal: context.signal }, (index) =>
    payOnce(pos, { posId: `bench-latency-${tag}`, posTid: `${context.runId}-${index}` }, context.flow),
  );
  const paid = results.flatMap((result) => (result.ok ? [result.value] : []));
  const firstSeen = new Map<string, number>();
  for (const payment of paid) firstSeen.set(payment.newState, (firstSeen.get(payment.newState) ?? 0) + 1);
  context.report.add({
    measurement: `webhook → till, ${label}`,
    n: results.length,
    ok: paid.length,
    latency: summarize(paid.map((payment) => payment.approveToTillMs)),
    rate: `${settings.latencyConcurrency} in flight`,
    usage: window.end(),
    notes: [cutShort(context.signal), `state first seen: ${[...firstSeen].map(([state, n]) => `${state} ${n}`).join(', ')}`, topErrors(results)].filter(Boolean).join('; '),
  });
  try {
    const chain = await webhookChain(context.client, context.topology.settleSandboxUrl, settings.taskQueues[0]!, paid.map((payment) => payment.approval), context.signal);
    for (const step of chain) {
      context.report.add({ measurement: `  from approval: ${step.label}`, n: paid.length, ok: step.fromApproval.n, latency: step.fromApproval });
    }
  } catch (error) {
    // A breakdown that cannot be read leaves the row as measured and the rest of the bench running.
    context.report.remarks.push(`webhook → till, ${label}: its steps could not be read: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function measureWebhookLatency(context: BenchContext): Promise<void> {
  await measureOn(context, context.posA, 'till on A = webhook ingress', 'a');
  await measureOn(context, context.posB, 'till on B, webhooks to A', 'b');
}
