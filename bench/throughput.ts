/**
 * Throughput at a fixed number in flight: Settle payments end to end (create → scan → approve →
 * captured, each followed by its till's long poll) next to the bare workflow with the same activity
 * count, on the same server in the same run, and the ratio of the two.
 */
import { performance } from 'node:perf_hooks';
import type { BenchContext } from './context';
import { payOnce } from './payment-flow';
import { cutShort, runPool, topErrors, type Settled } from './pool';
import type { ProcessUsage } from './procstat';
import { cpuCost, explainRatio, formatCpuCost, type CpuCost } from './cpu-per-item';
import { formatRate, summarize } from './stats';
import { BARE_TASK_QUEUE } from './topology';

interface Run<T> {
  results: Settled<T>[];
  seconds: number;
  usage: ProcessUsage;
}

async function measured<T>(context: BenchContext, count: number, task: (index: number) => Promise<T>, workerPid?: number): Promise<Run<T>> {
  const window = context.usage(workerPid === undefined ? undefined : { worker: workerPid });
  const started = performance.now();
  const results = await runPool({ count, concurrency: context.settings.concurrency, signal: context.signal }, task);
  return { results, seconds: (performance.now() - started) / 1000, usage: window.end() };
}

const payments = (context: BenchContext, label: string) => (index: number) =>
  payOnce(context.posA, { posId: 'bench-throughput', posTid: `${context.runId}-${label}-${index}` }, context.flow);

const bareWorkflows = (context: BenchContext, label: string) => async (index: number) => {
  const started = performance.now();
  await context.client.withAbortSignal(context.signal, () =>
    context.client.workflow.execute('bareWorkflow', { taskQueue: BARE_TASK_QUEUE, workflowId: `bare-${context.runId}-${label}-${index}`, args: [] }),
  );
  return performance.now() - started;
};

const succeeded = <T>(results: Settled<T>[]): T[] => results.flatMap((result) => (result.ok ? [result.value] : []));

export async function measureThroughput(context: BenchContext): Promise<void> {
  const { settings, report } = context;
  // Uncounted: the first workflows of a type pay for bundles, caches and JIT on both workers.
  await runPool({ count: settings.warmup, concurrency: settings.concurrency, signal: context.signal }, payments(context, 'warmup'));
  await runPool({ count: settings.warmup, concurrency: settings.concurrency, signal: context.signal }, bareWorkflows(context, 'warmup'));

  const paid = await measured(context, settings.payments, payments(context, 'counted'));
  const bare = await measured(context, settings.payments, bareWorkflows(context, 'counted'), context.topology.bareWorker.pid);
  const paidOk = succeeded(paid.results);
  const bareOk = succeeded(bare.results);
  const perSecond = (run: Run<unknown>, ok: number) => (run.results.length > 0 ? ok / run.seconds : null);
  const paymentsPerSecond = perSecond(paid, paidOk.length);
  const barePerSecond = perSecond(bare, bareOk.length);
  const ratio = paymentsPerSecond !== null && barePerSecond ? paymentsPerSecond / barePerSecond : null;
  const paidCost = cpuCost(paid.usage, paid.seconds, paidOk.length, context.cores);
  const bareCost = cpuCost(bare.usage, bare.seconds, bareOk.length, context.cores);
  const row = <T>(measurement: string, run: Run<T>, cost: CpuCost | null, latencies: number[], rate: number | null, unit: string, note: string) => {
    report.add({
      measurement,
      n: run.results.length,
      ok: latencies.length,
      latency: summarize(latencies),
      rate: rate === null ? '—' : formatRate(rate, unit),
      usage: run.results.length > 0 ? run.usage : undefined,
      notes: [cutShort(context.signal), note, formatCpuCost(cost), topErrors(run.results)].filter(Boolean).join('; '),
    });
  };
  row(`throughput: Settle payments, ${settings.concurrency} in flight`, paid, paidCost, paidOk.map((payment) => payment.createMs), paymentsPerSecond, 'payments', `latencies: create; ratio to bare ${ratio === null ? '—' : ratio.toFixed(2)}`);
  row(`throughput: bare workflow, 4 activities, ${settings.concurrency} in flight`, bare, bareCost, bareOk, barePerSecond, 'workflows', 'latencies: start → result; wrk = the bare worker');
  if (ratio !== null) report.remarks.push(explainRatio(ratio, paidCost, bareCost));
}
