/** What every phase works with: the running topology, its clients, the report, and the run's deadline. */
import type { Client } from '@temporalio/client';
import { SettleCustomer, PosApi } from './api';
import type { FlowContext } from './payment-flow';
import { UsageWindow } from './procstat';
import type { Report } from './report';
import type { BenchSettings } from './settings';
import { LongPollCounts } from './till';
import { MERCHANT_ID, type Topology } from './topology';

export interface BenchContext {
  settings: BenchSettings;
  topology: Topology;
  report: Report;
  /** Temporal client of the bench itself: bare workflows, task-queue statistics. */
  client: Client;
  /** The till's API on ingress A (receives the webhooks) and on ingress B. */
  posA: PosApi;
  posB: PosApi;
  flow: FlowContext;
  /** Distinguishes this run's pos_tids from any other's. */
  runId: string;
  /** Aborted at the deadline or on Ctrl-C: phases stop issuing work and report what they have. */
  signal: AbortSignal;
  deadlineAt: number;
  /** Cores of the machine (`nproc`): the dev server may use all of them, a Node process about one. */
  cores: number;
  /** Starts a CPU/RSS window over the watched processes; `instead` swaps one (the bare worker for the worker). */
  usage(instead?: Partial<Record<'worker' | 'ingressA' | 'temporal', number>>): UsageWindow;
}

export function createContext(parts: Omit<BenchContext, 'posA' | 'posB' | 'flow' | 'usage'>): BenchContext {
  const { settings, topology, signal } = parts;
  const settle = new SettleCustomer(topology.settleSandboxUrl, settings.requestTimeoutMs);
  const pos = (url: string) => new PosApi(url, topology.apiKey, MERCHANT_ID, settings.requestTimeoutMs);
  const watched = {
    worker: topology.worker.pid,
    ingressA: topology.ingressA.pid,
    ...(topology.temporal.pid === null ? {} : { temporal: topology.temporal.pid }),
    // Not in the table's columns, but they share the same two cores: the machine finding names them.
    ingressB: topology.ingressB.pid,
    sandbox: topology.sandboxes.pid,
    bench: process.pid,
  };
  return {
    ...parts,
    posA: pos(topology.ingressA.url),
    posB: pos(topology.ingressB.url),
    flow: { settle, counts: new LongPollCounts(), signal, stepTimeoutMs: 30_000 },
    usage: (instead) => new UsageWindow({ ...watched, ...instead }, topology.pids()),
  };
}
