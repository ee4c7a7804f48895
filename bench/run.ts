/**
 * `npm run bench`: the service production-shaped (dev server, Settle sandbox process, worker, two
 * ingresses, each its own process) under three loads — throughput next to a bare workflow,
 * webhook → till latency on one and across two ingresses, and a ramp of waiting, long-polled
 * payments — printed as one table with its conditions. Bounded by BENCH_DEADLINE_SECONDS: at the
 * deadline (or Ctrl-C) the phases stop, the table shows what was measured, and every process the
 * bench started is stopped. Settings: bench/settings.ts. Progress goes to stderr, the table to stdout.
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { Client, Connection } from '@temporalio/client';
import { cores, loadAverage, machine, settingsLine } from './conditions';
import { createContext, type BenchContext } from './context';
import { closeHttp } from './http';
import { measureWebhookLatency } from './latency';
import { rssMb } from './procstat';
import { runRamp } from './ramp';
import { Report } from './report';
import { loadSettings, type Phase } from './settings';
import { measureThroughput } from './throughput';
import { startTopology, type Topology } from './topology';

/** After the deadline, phases get this long to wind down before the bench prints and exits regardless. */
const HARD_STOP_GRACE_MS = 90_000;

const PHASE_RUNNERS: Record<Phase, (context: BenchContext) => Promise<void>> = {
  throughput: measureThroughput,
  latency: measureWebhookLatency,
  ramp: runRamp,
};

const began = performance.now();
const log = (line: string) => console.error(`[bench ${Math.round((performance.now() - began) / 1000)} s] ${line}`);

async function main(): Promise<number> {
  const settings = loadSettings();
  const report = new Report();
  report.conditions.push(...machine(), `settings: ${settingsLine(settings)}`);
  const stop = new AbortController();
  // Every till and request listens to this one signal: thousands of listeners are expected.
  setMaxListeners(0, stop.signal);
  const deadlineAt = Date.now() + settings.deadlineSeconds * 1000;
  let benchRss = 0;
  const rssSampler = setInterval(() => (benchRss = Math.max(benchRss, rssMb(process.pid) ?? 0)), 1000).unref();

  let topology: Topology | null = null;
  let connection: Connection | null = null;
  let printed = false;
  const print = () => {
    if (printed) return;
    printed = true;
    if (topology) {
      report.conditions.push(...topology.describe());
      for (const child of [topology.worker, topology.ingressA, topology.ingressB, topology.sandboxes, topology.bareWorker]) {
        if (!child.alive) report.remarks.push(`${child.name} exited during the run; its last output:\n${child.tail(10)}`);
      }
    }
    report.conditions.push(
      `load average at end: ${loadAverage()}; bench process max RSS ${Math.round(benchRss)} MB; wall time ${Math.round((performance.now() - began) / 1000)} s`,
      'the machine is shared (other engineers run tests): the "other" CPU column shows how much of it they used during each row',
    );
    console.log(report.render());
  };

  let exitCode = 0;
  const halt = (why: string, code: number) => {
    if (stop.signal.aborted) return;
    exitCode = code;
    report.remarks.push(why);
    log(why);
    stop.abort();
    // Phases end quickly once aborted; if something hangs anyway, print what there is and leave.
    setTimeout(() => {
      print();
      process.exit(code || 2);
    }, HARD_STOP_GRACE_MS).unref();
  };
  const deadline = setTimeout(() => halt(`deadline: BENCH_DEADLINE_SECONDS=${settings.deadlineSeconds} reached; later measurements are missing`, 0), settings.deadlineSeconds * 1000);
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) process.exit(130); // a second Ctrl-C: leave now (children are killed on exit)
    halt(`interrupted by ${signal}`, 130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  try {
    log(`starting Temporal (${settings.temporal}), the Settle sandbox, the worker, ingresses A and B and the bare worker`);
    topology = await startTopology({ temporal: settings.temporal, settlePollIntervalMs: settings.settlePollIntervalMs, taskQueue: settings.taskQueues[0] ?? 'payments', extraEnv: settings.serviceEnv }, log);
    connection = await Connection.connect({ address: topology.temporal.address });
    const context = createContext({
      settings,
      topology,
      report,
      client: new Client({ connection, namespace: topology.temporal.namespace }),
      runId: Date.now().toString(36),
      signal: stop.signal,
      deadlineAt,
      cores: cores(),
    });
    for (const phase of settings.phases) {
      if (stop.signal.aborted) break;
      log(`${phase}...`);
      await PHASE_RUNNERS[phase](context);
      report.gap();
    }
  } catch (error) {
    exitCode = 1;
    report.remarks.push(`stopped by an error: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  } finally {
    clearTimeout(deadline);
    clearInterval(rssSampler);
    print();
    log('stopping every process the bench started');
    await connection?.close();
    await topology?.stop();
    await closeHttp();
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
