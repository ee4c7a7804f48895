/**
 * The service in its production shape on a PostgreSQL-backed Temporal cluster, reached through the
 * doors users use: worker processes (`npm run worker`) and ingress processes (`npm run ingress`) as
 * their own OS processes, configured by the contract's variables only, behind a balancer that is the
 * public address tills and provider webhooks know; the four built-in sandboxes play the providers.
 * One cluster and one topology per test file: `useClusterTopology` starts them in `before`.
 */
import { after, before } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { startSandboxes, type FleetSandbox } from '../../src/sandbox-fleet';
import { freePort } from '../../src/stack';
import { defaultPlugins, webhookUrl } from '../../src/providers';
import { FAST_TIMINGS } from './e2e-stack';
import { IngressBalancer } from './ingress-balancer';
import { PayseraCustomer } from './paysera-customer';
import { Pos } from './pos';
import { ServiceProcess } from './processes';
import { SeqrCustomer } from './seqr-customer';
import { SettleCustomer } from './settle-customer';
import { TabbyCustomer } from './tabby-customer';
import { startTemporalCluster, type RunningCluster } from './temporal-cluster';

/** The end-to-end tests' timings, with every provider's poll as quick as Settle's. */
export const CLUSTER_TIMINGS: Record<string, string> = { ...FAST_TIMINGS, SEQR_POLL_INTERVAL_MS: '200', PAYSERA_POLL_INTERVAL_MS: '200' };
/** A worker bundles the workflows when it starts: slow on a busy 2-core machine. */
const WORKER_START_TIMEOUT_MS = 240_000;

export interface TopologyShape {
  workers: number;
  ingresses: number;
}

export class ClusterTopology {
  readonly pos: Pos;
  readonly settle: SettleCustomer;
  readonly tabby: TabbyCustomer;
  readonly seqr: SeqrCustomer;
  readonly paysera: PayseraCustomer;

  private constructor(
    readonly cluster: RunningCluster,
    /** For looking into workflows (pending activities, the worker that runs them), as an operator does. */
    readonly client: Client,
    readonly balancer: IngressBalancer,
    /** The public address: the balancer. */
    readonly publicUrl: string,
    readonly ingressUrls: readonly string[],
    readonly ingresses: ServiceProcess[],
    readonly workers: ServiceProcess[],
    private readonly sandboxes: FleetSandbox[],
    /** The contract's variables every worker and ingress runs with (PORT aside). */
    readonly env: Record<string, string>,
  ) {
    this.pos = new Pos(publicUrl, 'key-a');
    this.settle = new SettleCustomer(this.sandboxUrl('settle'), env.SETTLE_SHORTLINK_ID ?? '');
    this.tabby = new TabbyCustomer(this.sandboxUrl('tabby'));
    this.seqr = new SeqrCustomer(this.sandboxUrl('seqr'));
    this.paysera = new PayseraCustomer(this.sandboxUrl('paysera'));
  }

  static async start(cluster: RunningCluster, shape: TopologyShape): Promise<ClusterTopology> {
    const ingressUrls: string[] = [];
    for (let index = 0; index < shape.ingresses; index += 1) ingressUrls.push(`http://127.0.0.1:${await freePort()}`);
    const balancer = new IngressBalancer(ingressUrls);
    const publicUrl = await balancer.start();
    let sandboxes: FleetSandbox[] = [];
    let connection: Connection;
    try {
      sandboxes = await startSandboxes(defaultPlugins, (plugin) => ({ port: 0, host: '127.0.0.1', webhookUrl: webhookUrl(publicUrl, plugin.name), env: {} }));
      connection = await Connection.connect({ address: cluster.address });
    } catch (error) {
      await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
      await balancer.stop();
      throw error;
    }
    const env = {
      ...Object.fromEntries(sandboxes.flatMap((sandbox) => Object.entries(sandbox.env))),
      ...CLUSTER_TIMINGS,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: cluster.namespace,
      PUBLIC_BASE_URL: publicUrl,
      POS_API_KEYS: 'key-a=m-a',
    };
    const ingresses = ingressUrls.map((url) => new ServiceProcess('src/main/ingress.ts', { ...env, PORT: new URL(url).port }));
    const topology = new ClusterTopology(cluster, new Client({ connection, namespace: cluster.namespace }), balancer, publicUrl, ingressUrls, ingresses, [], sandboxes, env);
    try {
      await Promise.all([
        ...ingresses.map((ingress) => ingress.waitFor(/ingress listening/)),
        ...Array.from({ length: shape.workers }, () => topology.startWorker()),
      ]);
      return topology;
    } catch (error) {
      await topology.stop();
      throw error;
    }
  }

  sandboxUrl(provider: string): string {
    const sandbox = this.sandboxes.find((candidate) => candidate.provider === provider);
    if (!sandbox) throw new Error(`no ${provider} sandbox`);
    return sandbox.url;
  }

  /** Starts one more worker process; resolves once it polls. */
  async startWorker(): Promise<ServiceProcess> {
    const worker = new ServiceProcess('src/main/worker.ts', this.env);
    this.workers.push(worker);
    await worker.waitFor(/worker polling/, WORKER_START_TIMEOUT_MS);
    return worker;
  }

  /** Ingresses first, so no request lands on a stopping worker; then workers, providers, the balancer. */
  async stop(): Promise<void> {
    await Promise.all(this.ingresses.map((ingress) => ingress.stop()));
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await Promise.all(this.sandboxes.map((sandbox) => sandbox.close()));
    await this.balancer.stop();
    await this.client.connection.close();
  }
}

/**
 * Starts a PostgreSQL-backed cluster and the topology on it before the file's tests, and stops
 * both (dropping the cluster's databases) after them. Use inside a suite skipped by `clusterSkipReason()`.
 */
export function useClusterTopology(shape: TopologyShape): () => ClusterTopology {
  let cluster: RunningCluster | undefined;
  let topology: ClusterTopology | undefined;
  before(async () => {
    const started = Date.now();
    cluster = await startTemporalCluster({ log: (line) => console.error(line) });
    const clusterReady = Date.now();
    topology = await ClusterTopology.start(cluster, shape);
    console.error(`cluster ready in ${((clusterReady - started) / 1000).toFixed(1)} s; ${shape.workers} worker(s) and ${shape.ingresses} ingress(es) in ${((Date.now() - clusterReady) / 1000).toFixed(1)} s more`);
  });
  after(async () => {
    await topology?.stop();
    await cluster?.stop();
  });
  return () => {
    if (!topology) throw new Error('the cluster topology is not running');
    return topology;
  };
}
