/**
 * The production shape the bench measures, each part its own OS process: a Temporal dev server, the
 * Settle sandbox (`npm run sandboxes`), the worker, two ingresses (A receives the webhooks, B only
 * serves tills) and the bare reference worker. The service processes get the contract's variables
 * only, as an operator would set them. Everything started here is stopped by `stop()`, and killed
 * at the latest when the bench process exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { ensureTemporalCli, PROJECT_ROOT } from '../src/temporal/cli';
import { startDevServer, type DevServerOptions, type RunningDevServer } from '../src/temporal/dev-server';
import { readEnvFile } from '../test/support/processes';
import { startTemporalCluster } from '../test/support/temporal-cluster';
import { callJson } from './http';
import { findChild } from './procstat';
import { freePort } from '../src/main/lifecycle';

/** What every process needs from the machine; the service's configuration comes on top, explicitly. */
export const MACHINE_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
export const START_TIMEOUT_MS = 120_000;
/** Output kept per process, for the error message when one fails to start or dies. */
const OUTPUT_KEPT = 64 * 1024;
export const BARE_TASK_QUEUE = 'bench-bare';
export const MERCHANT_ID = 'bench-merchant';

/** Kills of processes still running, done synchronously if the bench exits without stopping them. */
const killOnExit = new Set<() => void>();
process.on('exit', () => {
  for (const kill of killOnExit) kill();
});

function killPid(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/**
 * Like test/support's ServiceProcess, but it exposes the pid (for CPU and RSS) and keeps only the
 * tail of the output: a worker logging under load for twenty minutes must not grow the bench.
 */
export class BenchProcess {
  private readonly child: ChildProcess;
  private output = '';
  private readonly exited: Promise<void>;

  constructor(readonly name: string, script: string, env: Record<string, string>, args: string[] = []) {
    const machine = Object.fromEntries(MACHINE_ENV.filter((key) => process.env[key] !== undefined).map((key) => [key, process.env[key]!]));
    this.child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: PROJECT_ROOT, env: { ...machine, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const kill = () => this.child.kill('SIGKILL');
    killOnExit.add(kill);
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_KEPT);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = once(this.child, 'exit').then(() => void killOnExit.delete(kill));
  }

  get pid(): number {
    return this.child.pid!;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  tail(lines = 20): string {
    return this.output.split('\n').slice(-lines).join('\n');
  }

  /** Resolves once the output matches `pattern`; fails if the process exits first or the time runs out. */
  async waitFor(pattern: RegExp, timeoutMs = START_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this.output)) {
      if (!this.alive) throw new Error(`${this.name} exited before printing ${String(pattern)}:\n${this.tail()}`);
      if (Date.now() > deadline) throw new Error(`${this.name} printed no ${String(pattern)} within ${timeoutMs} ms:\n${this.tail()}`);
      await delay(100);
    }
  }

  /** SIGKILL, as a crash or the OOM killer would: nothing is drained. Resolves once it is gone. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not drained within `graceMs`. */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.alive) return this.exited;
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(killer);
  }
}

export { freePort };

export interface Topology {
  temporal: { address: string; namespace: string; pid: number | null };
  ingressA: BenchProcess & { url: string };
  ingressB: BenchProcess & { url: string };
  worker: BenchProcess;
  sandboxes: BenchProcess;
  bareWorker: BenchProcess;
  settleSandboxUrl: string;
  apiKey: string;
  /** The contract variables the worker and ingresses got, minus secrets (for the conditions). */
  describe(): string[];
  /** Every pid the bench started, the bench's own included. */
  pids(): number[];
  stop(): Promise<void>;
}

export async function waitUntilReady(url: string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const answer = await callJson('GET', `${url}/readyz`, { timeoutMs: 5000, signal: new AbortController().signal }).catch(() => null);
    if (answer?.status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 within ${START_TIMEOUT_MS} ms`);
    await delay(250);
  }
}

export interface OwnedDevServer {
  server: RunningDevServer;
  /** The CLI's pid (from /proc), for CPU and RSS; null if it could not be found. */
  pid: number | null;
  stop(): Promise<void>;
}

/**
 * A headless dev server whose CLI process is killed at the latest when this process exits:
 * startDevServer spawns the CLI itself and keeps the child to itself, so /proc names it.
 */
export async function startOwnedDevServer(options: Omit<DevServerOptions, 'uiPort'>): Promise<OwnedDevServer> {
  const server = await startDevServer({ ...options, uiPort: null });
  const pid = findChild(process.pid, 'temporal');
  const kill = pid === null ? null : () => killPid(pid);
  if (kill) killOnExit.add(kill);
  return {
    server,
    pid,
    stop: async () => {
      await server.stop();
      if (kill) killOnExit.delete(kill);
    },
  };
}

/** The Temporal the bench runs against: the in-memory dev server, or temporal-server on the machine's PostgreSQL. */
export type BenchTemporal = 'dev-server' | 'postgres';

interface OwnedTemporal {
  address: string;
  namespace: string;
  pid: number | null;
  description: string;
  stop(): Promise<void>;
}

async function startTemporal(kind: BenchTemporal, log: (line: string) => void): Promise<OwnedTemporal> {
  if (kind === 'postgres') {
    const cluster = await startTemporalCluster({ log });
    const pid = findChild(process.pid, 'temporal-server');
    return { address: cluster.address, namespace: cluster.namespace, pid, description: `temporal-server on PostgreSQL (databases ${cluster.databases.join(', ')})`, stop: () => cluster.stop() };
  }
  const owned = await startOwnedDevServer({ cliPath: await ensureTemporalCli(log), port: await freePort(), httpPort: await freePort(), dbFile: null });
  return { address: owned.server.address, namespace: owned.server.namespace, pid: owned.pid, description: 'Temporal dev server (in memory)', stop: () => owned.stop() };
}

export interface ServiceSettings {
  temporal: BenchTemporal;
  settlePollIntervalMs: number;
  /** TEMPORAL_TASK_QUEUE; set explicitly so the bench describes the queue the worker really polls. */
  taskQueue: string;
  /** Further service variables, on top of the contract's (BENCH_SERVICE_ENV). */
  extraEnv: Record<string, string>;
}

export async function startTopology(service: ServiceSettings, log: (line: string) => void): Promise<Topology> {
  const scratch = mkdtempSync(join(tmpdir(), 'pos-bench-'));
  const processes: BenchProcess[] = [];
  let owned: OwnedTemporal | null = null;
  const stop = async () => {
    await Promise.all(processes.map((child) => child.stop()));
    await owned?.stop();
    rmSync(scratch, { recursive: true, force: true });
  };
  const started = (child: BenchProcess) => {
    processes.push(child);
    return child;
  };
  try {
    owned = await startTemporal(service.temporal, log);
    const temporal = owned;
    const temporalPid = temporal.pid;

    const [portA, portB] = [await freePort(), await freePort()];
    const urlA = `http://127.0.0.1:${portA}`;
    const urlB = `http://127.0.0.1:${portB}`;
    const envFile = join(scratch, 'settle.env');
    const sandboxes = started(new BenchProcess('sandboxes', 'src/main/sandboxes.ts', { SETTLE_SANDBOX_PORT: '0' }, ['--providers', 'settle', '--public-base-url', urlA, '--env-out', envFile]));
    await sandboxes.waitFor(/variables are in/);
    const settleEnv = readEnvFile(envFile);
    const settleSandboxUrl = settleEnv.SETTLE_BASE_URL!.replace(/\/merchant\/v1\/?$/, '');

    const apiKey = `bench-${randomBytes(9).toString('base64url')}`;
    const temporalEnv = { TEMPORAL_ADDRESS: temporal.address, TEMPORAL_NAMESPACE: temporal.namespace };
    const contract = {
      ...settleEnv,
      ...temporalEnv,
      TEMPORAL_TASK_QUEUE: service.taskQueue,
      NODE_ENV: 'production',
      PUBLIC_BASE_URL: urlA,
      POS_API_KEYS: `${apiKey}=${MERCHANT_ID}`,
      SETTLE_POLL_INTERVAL_MS: String(service.settlePollIntervalMs),
      ...service.extraEnv,
    };
    const worker = started(new BenchProcess('worker', 'src/main/worker.ts', contract));
    const ingressA = Object.assign(started(new BenchProcess('ingress A', 'src/main/ingress.ts', { ...contract, PORT: String(portA) })), { url: urlA });
    const ingressB = Object.assign(started(new BenchProcess('ingress B', 'src/main/ingress.ts', { ...contract, PORT: String(portB) })), { url: urlB });
    const bareWorker = started(new BenchProcess('bare worker', 'bench/bare/worker.ts', { ...temporalEnv, BARE_TASK_QUEUE, BARE_PROBE_URL: `${settleSandboxUrl}/` }));
    await Promise.all([
      worker.waitFor(/worker polling/),
      ingressA.waitFor(/ingress listening/),
      ingressB.waitFor(/ingress listening/),
      bareWorker.waitFor(/bare worker polling/),
    ]);
    // Ready = Temporal reachable and a worker polling the payments task queue, as the ingress sees it.
    await Promise.all([waitUntilReady(urlA), waitUntilReady(urlB)]);
    const { address, namespace } = temporal;
    return {
      temporal: { address, namespace, pid: temporalPid },
      ingressA,
      ingressB,
      worker,
      sandboxes,
      bareWorker,
      settleSandboxUrl,
      apiKey,
      describe: () => [
        `${temporal.description} ${address} (pid ${temporalPid ?? '?'}); Settle sandbox ${settleSandboxUrl} (pid ${sandboxes.pid})`,
        `worker pid ${worker.pid}; ingress A ${urlA} pid ${ingressA.pid} (PUBLIC_BASE_URL: receives the webhooks); ingress B ${urlB} pid ${ingressB.pid}; bare worker pid ${bareWorker.pid}`,
        `service env: ${Object.keys(contract).sort().join(', ')} (+ PORT)`,
      ],
      pids: () => [process.pid, ...(temporalPid === null ? [] : [temporalPid]), ...processes.map((child) => child.pid)],
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
