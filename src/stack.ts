/**
 * The embedded stack: Temporal dev server (with Web UI), provider sandboxes, worker and ingress in
 * one process. `npm start` runs it for people; the end-to-end tests run it with short timings.
 * Everything talks over real sockets exactly as the separate production processes do.
 */
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import type { ProviderPlugin } from '../activities/provider-plugin';
import { loadIngressConfig, loadPublicBaseUrl, loadWorkerCapacity } from './config';
import { createIngressApp } from './ingress/app';
import type { DemoOptions } from './ingress/demo-routes';
import { freePort, reserve } from './main/lifecycle';
import { secrets } from './observability/logger';
import { installWorkerTelemetry } from './observability/worker-telemetry';
import { buildIngressProviders, buildWorkerProviders, defaultPlugins, secretVariables, webhookUrl } from './providers';
import { ingressEnv } from './provider-config';
import { terminalLookup } from './terminal-directory';
import { startSandboxes } from './sandbox-fleet';
import { ensureTemporalCli } from './temporal/cli';
import { temporalClient } from './temporal/client';
import { loadTemporalConfig } from './temporal/connection-config';
import { startDevServer, type RunningDevServer } from './temporal/dev-server';
import { ensureHousekeeping, PaymentWorkers } from './worker';

export interface StackOptions {
  /** Ports; 0 picks a free one. */
  ingressPort: number;
  /** The dev server's ports, used only when the environment names no `TEMPORAL_ADDRESS`. */
  temporalPort: number;
  uiPort: number | null;
  /** The providers; default: the built-in ones. */
  plugins?: readonly ProviderPlugin[];
  /** Port of each built-in sandbox by provider (absent or 0 picks a free one). */
  sandboxPorts?: Partial<Record<string, number>>;
  /**
   * The service's environment (the contract's variables, timings, keys, and sandboxes' test knobs
   * `<NAME>_SANDBOX_...`). A provider whose base URL is set here is that external server and gets no
   * sandbox; a set `TEMPORAL_ADDRESS` means no dev server.
   */
  env?: Record<string, string>;
  temporalDbFile?: string | null;
  workflowBundle?: WorkflowBundleOption;
  log?: (line: string) => void;
}

/** Where the service sends a provider's calls: its built-in sandbox, or the server the environment names. */
export interface ProviderEndpoint {
  provider: string;
  source: 'sandbox' | 'external';
  url: string;
  /** For a sandbox: where to play the customer. */
  hint: string | null;
  /** What payments of this provider may be in (its create rules). */
  currencies: readonly string[];
}

export interface RunningStack {
  ingressUrl: string;
  /** The demo till (`DEMO_PAGE=true` in the environment), or null when it is off. */
  demoUrl: string | null;
  uiUrl: string | null;
  temporalAddress: string;
  namespace: string;
  /** Whether Temporal is the dev server this stack started, or the one `TEMPORAL_ADDRESS` names. */
  temporalSource: 'dev-server' | 'external';
  providers: ProviderEndpoint[];
  /** The URL of a provider's built-in sandbox; throws when that provider is an external server. */
  sandboxUrl(provider: string): string;
  apiKeys: Map<string, string>;
  /** The environment the worker and ingress were configured with (for extra workers in tests). */
  env: Record<string, string>;
  client: Client;
  workers: PaymentWorkers;
  /** The worker's Prometheus `/metrics` (WORKER_METRICS_PORT), or null when it serves none. */
  workerMetricsUrl: string | null;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export { freePort };

/**
 * Starts the dev server on the requested ports (0 = pick a free one). A port another process took
 * between picking and binding is answered by trying again with fresh picks, a few times.
 */
async function startDevServerOnPorts(cliPath: string, options: StackOptions, log: (line: string) => void): Promise<RunningDevServer> {
  for (let attempt = 1; ; attempt += 1) {
    const port = options.temporalPort || (await freePort());
    const uiPort = options.uiPort === null ? null : options.uiPort || (await freePort());
    try {
      return await startDevServer({ cliPath, port, httpPort: await freePort(), uiPort, dbFile: options.temporalDbFile ?? null, log });
    } catch (error) {
      if (attempt >= 3 || !String(error).includes('address already in use')) throw error;
      log(`a port was taken while the dev server started (attempt ${attempt}); trying other ports`);
    }
  }
}

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => undefined);
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => log(`stop: ${String(error)}`));
  };
  try {
    // Hold the ingress port from the start: the sandboxes' callback URLs are built from it.
    const http = await reserve(options.ingressPort);
    cleanup.push(() => http.close());

    const given = options.env ?? {};
    const publicBaseUrl = given.PUBLIC_BASE_URL ?? http.url();

    const server = given.TEMPORAL_ADDRESS ? null : await startDevServerOnPorts(await ensureTemporalCli(log), options, log);
    if (server) cleanup.push(() => server.stop());

    const plugins = options.plugins ?? defaultPlugins;
    const sandboxed = plugins.filter((plugin) => !given[plugin.enabledBy]);
    const sandboxes = await startSandboxes(sandboxed, (plugin) => ({
      port: options.sandboxPorts?.[plugin.name] ?? 0,
      host: '127.0.0.1',
      webhookUrl: webhookUrl(publicBaseUrl, plugin.name),
      env: given,
    }));
    for (const sandbox of sandboxes) cleanup.push(() => sandbox.close());

    // A sandbox's own credentials win over anything given for that provider: it only knows those.
    const env: Record<string, string> = {
      POS_API_KEYS: `demo_${randomBytes(12).toString('hex')}=demo-merchant`,
      ...given,
      PUBLIC_BASE_URL: publicBaseUrl,
      ...(server ? { TEMPORAL_ADDRESS: server.address, TEMPORAL_NAMESPACE: server.namespace } : {}),
      ...Object.fromEntries(sandboxes.flatMap((sandbox) => Object.entries(sandbox.env))),
    };
    // The sandboxes' credentials and the made-up API key are secrets like any configured ones.
    secrets.addFromEnv(env, secretVariables(plugins));
    // The ingress gets what the production ingress process gets: no worker credential.
    const ingressOnly = ingressEnv(plugins, env);
    const ingressProviders = buildIngressProviders(plugins, ingressOnly);
    const providerEndpoints = plugins.map(({ name: provider, enabledBy }): ProviderEndpoint => {
      const sandbox = sandboxes.find((candidate) => candidate.provider === provider);
      const currencies = ingressProviders.get(provider)?.rules.currencies ?? [];
      return sandbox
        ? { provider, source: 'sandbox', url: sandbox.url, hint: sandbox.hint, currencies }
        : { provider, source: 'external', url: given[enabledBy] ?? '', hint: null, currencies };
    });
    const temporal = loadTemporalConfig(env);
    const client = temporalClient(temporal);
    cleanup.push(() => client.connection.close());
    const ingressClosing = new AbortController();
    cleanup.push(() => {
      ingressClosing.abort();
      return Promise.resolve();
    });
    const providers = buildWorkerProviders(plugins, env, (provider) => terminalLookup(client, provider));

    const serveWorkerMetrics = await installWorkerTelemetry(env);
    const nativeConnection = await NativeConnection.connect(temporal.connection);
    cleanup.push(() => nativeConnection.close());
    const workers = await PaymentWorkers.create({
      connection: nativeConnection,
      namespace: temporal.namespace,
      taskQueue: temporal.taskQueue,
      providers,
      capacity: loadWorkerCapacity(env),
      workflowBundle: options.workflowBundle,
    });
    const workerMetrics = await serveWorkerMetrics(workers.metrics.registry);
    if (workerMetrics) cleanup.push(() => workerMetrics.close());
    void workers.run();
    await ensureHousekeeping(client, temporal.taskQueue, providers);
    const stopWorker = () => workers.drain();
    cleanup.push(stopWorker);

    const ingress = loadIngressConfig({ ...ingressOnly, PORT: String(http.port) });
    const demo: DemoOptions | null = ingress.demoPage
      ? {
          // Only a key this stack made up is given to the page; keys from POS_API_KEYS are the operator's secrets.
          apiKey: given.POS_API_KEYS ? null : [...ingress.apiKeys.keys()][0] ?? null,
          customerPages: Object.fromEntries(sandboxes.flatMap((sandbox) => (sandbox.customerPage ? [[sandbox.provider, sandbox.customerPage]] : []))),
          temporalUi: server?.uiUrl ? `${server.uiUrl}/namespaces/${server.namespace}` : null,
        }
      : null;
    http.attach(createIngressApp({
      client,
      closing: ingressClosing.signal,
      taskQueue: temporal.taskQueue,
      apiKeys: ingress.apiKeys,
      providers: ingressProviders,
      publicBaseUrl: loadPublicBaseUrl(ingressOnly),
      createTimeoutMs: ingress.createTimeoutMs,
      qrLinks: ingress.qrLinks,
      demo,
    }));

    return {
      ingressUrl: http.url(),
      demoUrl: demo ? `${http.url()}/demo` : null,
      uiUrl: server?.uiUrl ?? null,
      temporalAddress: temporal.connection.address,
      namespace: temporal.namespace,
      temporalSource: server ? 'dev-server' : 'external',
      providers: providerEndpoints,
      sandboxUrl: (provider) => {
        const sandbox = sandboxes.find((candidate) => candidate.provider === provider);
        if (!sandbox) throw new Error(`${provider} is an external server in this stack, not a sandbox`);
        return sandbox.url;
      },
      apiKeys: ingress.apiKeys,
      env,
      client,
      workers,
      workerMetricsUrl: workerMetrics ? `http://127.0.0.1:${workerMetrics.port}/metrics` : null,
      stopWorker,
      // The ingress stops taking requests first, so none lands on a stopping worker.
      stop: async () => {
        await http.close();
        await stopAll();
      },
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
