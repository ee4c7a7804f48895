/**
 * The embedded stack: Temporal dev server (with Web UI), provider sandboxes, worker and ingress in
 * one process. `npm start` runs it for people; the end-to-end tests run it with short timings.
 * Everything talks over real sockets exactly as the separate production processes do.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { loadIngressConfig, loadPublicBaseUrl, loadTemporalConfig } from './config';
import { createIngressApp } from './ingress/app';
import { reserve } from './main/lifecycle';
import { buildProviderRegistry } from './providers';
import { terminalLookup } from './terminal-directory';
import { startSettleSandbox, type RunningSettleSandbox } from './sandboxes/settle';
import { startPayseraSandbox } from './sandboxes/paysera';
import { startSeqrSandbox } from './sandboxes/seqr';
import { startTabbySandbox } from './sandboxes/tabby';
import { ensureTemporalCli } from './temporal/cli';
import { startDevServer, type RunningDevServer } from './temporal/dev-server';
import { createPaymentWorker, drainWorker, ensureHousekeeping } from './worker';

export interface StackOptions {
  /** Ports; 0 picks a free one. */
  ingressPort: number;
  temporalPort: number;
  uiPort: number | null;
  settleSandboxPort: number;
  tabbySandboxPort: number;
  seqrSandboxPort: number;
  payseraSandboxPort: number;
  /** Extra environment for the service (timings, keys); wins over the embedded defaults. */
  env?: Record<string, string>;
  settleAuthValiditySeconds?: number;
  /** SEQR reverses a paid invoice nobody polls within this many seconds (SEQR: 20). */
  seqrReversalSeconds?: number;
  temporalDbFile?: string | null;
  workflowBundle?: WorkflowBundleOption;
  log?: (line: string) => void;
}

export interface RunningStack {
  ingressUrl: string;
  uiUrl: string | null;
  temporalAddress: string;
  namespace: string;
  settleSandboxUrl: string;
  tabbySandboxUrl: string;
  seqrSandboxUrl: string;
  payseraSandboxUrl: string;
  apiKeys: Map<string, string>;
  /** The environment the worker and ingress were configured with (for extra workers in tests). */
  env: Record<string, string>;
  client: Client;
  worker: Worker;
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

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

const pem = () => generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

export async function startStack(options: StackOptions): Promise<RunningStack> {
  const log = options.log ?? (() => undefined);
  const cleanup: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => log(`stop: ${String(error)}`));
  };
  try {
    const cliPath = await ensureTemporalCli(log);
    // Hold the ingress port from the start: the sandboxes' callback URLs are built from it.
    const http = await reserve(options.ingressPort);
    cleanup.push(() => http.close());
    const publicBaseUrl = options.env?.PUBLIC_BASE_URL ?? http.url();

    const server = await startDevServerOnPorts(cliPath, options, log);
    cleanup.push(() => server.stop());

    // The sandbox plays Settle: it knows our user's public key and signs callbacks with its own key.
    const ourKeys = pem();
    const settleKeys = pem();
    const settleIdentity = { merchantId: 'sandbox-merchant', userId: 'pos-service', secret: randomBytes(18).toString('base64url'), shortlinkId: 'sndbxQR' };
    const settle: RunningSettleSandbox = await startSettleSandbox({
      merchantId: settleIdentity.merchantId,
      userId: settleIdentity.userId,
      secret: settleIdentity.secret,
      userPublicKeyPem: ourKeys.publicKey,
      callbackPrivateKeyPem: settleKeys.privateKey,
      shortlinks: [{ id: settleIdentity.shortlinkId, callbackUri: `${publicBaseUrl}/v1/webhooks/settle` }],
      authValiditySeconds: options.settleAuthValiditySeconds,
    }, options.settleSandboxPort, '127.0.0.1');
    cleanup.push(() => settle.close());

    // The Tabby sandbox knows our secret key and branch, and sends webhooks with our registered header.
    const tabbyIdentity = { secretKey: `sk_test_${randomBytes(16).toString('hex')}`, merchantCode: 'sandbox-branch', webhookHeader: 'X-Tabby-Webhook-Secret', webhookSecret: randomBytes(24).toString('base64url') };
    const tabby = await startTabbySandbox({
      secretKey: tabbyIdentity.secretKey,
      merchantCodes: [tabbyIdentity.merchantCode],
      webhooks: [{ url: `${publicBaseUrl}/v1/webhooks/tabby`, header: { title: tabbyIdentity.webhookHeader, value: tabbyIdentity.webhookSecret } }],
    }, options.tabbySandboxPort, '127.0.0.1');
    cleanup.push(() => tabby.close());

    // The SEQR sandbox knows our reseller; terminals are registered through the service itself.
    const reseller = { id: 'sandbox-reseller', userId: '9900', password: randomBytes(12).toString('base64url') };
    const seqr = await startSeqrSandbox({ resellers: [reseller], reversalSeconds: options.seqrReversalSeconds }, options.seqrSandboxPort, '127.0.0.1');
    cleanup.push(() => seqr.close());

    // The Paysera sandbox accepts our MAC credentials, signs callbacks with its own key, and knows
    // the tables the merchant printed; any other spot code is a forged one.
    const paysera = { clientId: 'sandbox-client', macKey: randomBytes(24).toString('base64url'), locationId: 3, spots: ['TABLE1', 'TABLE2', 'TABLE3', 'TABLE4', 'TABLE5', 'TABLE6', 'TABLE7', 'TABLE8', 'TABLE9', 'TABLE10'] };
    const payseraKeys = pem();
    const payseraSandbox = await startPayseraSandbox({
      clients: [{ clientId: paysera.clientId, macKey: paysera.macKey }],
      callbackPrivateKeyPem: payseraKeys.privateKey,
      locationId: paysera.locationId,
      knownSpots: paysera.spots,
    }, options.payseraSandboxPort, '127.0.0.1');
    cleanup.push(() => payseraSandbox.close());

    const env: Record<string, string> = {
      TEMPORAL_ADDRESS: server.address,
      TEMPORAL_NAMESPACE: server.namespace,
      TEMPORAL_TASK_QUEUE: 'payments',
      PUBLIC_BASE_URL: publicBaseUrl,
      POS_API_KEYS: `demo_${randomBytes(12).toString('hex')}=demo-merchant`,
      SETTLE_BASE_URL: settle.merchantApiBase,
      SETTLE_MERCHANT_ID: settleIdentity.merchantId,
      SETTLE_USER_ID: settleIdentity.userId,
      SETTLE_SECRET: settleIdentity.secret,
      SETTLE_PRIVATE_KEY: ourKeys.privateKey,
      SETTLE_CALLBACK_PUBLIC_KEY: settleKeys.publicKey,
      SETTLE_SHORTLINK_ID: settleIdentity.shortlinkId,
      TABBY_BASE_URL: tabby.url,
      TABBY_SECRET_KEY: tabbyIdentity.secretKey,
      TABBY_MERCHANT_CODE: tabbyIdentity.merchantCode,
      TABBY_WEBHOOK_HEADER: tabbyIdentity.webhookHeader,
      TABBY_WEBHOOK_SECRET: tabbyIdentity.webhookSecret,
      SEQR_BASE_URL: seqr.endpoint,
      SEQR_RESELLER_ID: reseller.id,
      SEQR_RESELLER_USER_ID: reseller.userId,
      SEQR_RESELLER_PASSWORD: reseller.password,
      SEQR_TERMINAL_SECRET: randomBytes(24).toString('base64url'),
      PAYSERA_BASE_URL: payseraSandbox.url,
      PAYSERA_CLIENT_ID: paysera.clientId,
      PAYSERA_MAC_KEY: paysera.macKey,
      PAYSERA_LOCATION_ID: String(paysera.locationId),
      PAYSERA_CALLBACK_PUBLIC_KEY: payseraKeys.publicKey,
      PAYSERA_SPOTS: paysera.spots.join(','),
      ...options.env,
    };
    const temporal = loadTemporalConfig(env);
    const connection = await Connection.connect({ address: temporal.address });
    cleanup.push(() => connection.close());
    const client = new Client({ connection, namespace: temporal.namespace });
    const providers = buildProviderRegistry(env, (provider) => terminalLookup(client, provider));

    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    cleanup.push(() => nativeConnection.close());
    const worker = await createPaymentWorker({ connection: nativeConnection, namespace: temporal.namespace, taskQueue: temporal.taskQueue, providers, workflowBundle: options.workflowBundle });
    const workerRun = worker.run();
    await ensureHousekeeping(client, temporal.taskQueue, providers);
    const stopWorker = () => drainWorker(worker, workerRun);
    cleanup.push(stopWorker);

    const ingress = loadIngressConfig({ ...env, PORT: String(http.port) });
    http.attach(createIngressApp({ client, taskQueue: temporal.taskQueue, apiKeys: ingress.apiKeys, providers, publicBaseUrl: loadPublicBaseUrl(env) }));

    return {
      ingressUrl: http.url(),
      uiUrl: server.uiUrl,
      temporalAddress: server.address,
      namespace: server.namespace,
      settleSandboxUrl: settle.url,
      tabbySandboxUrl: tabby.url,
      seqrSandboxUrl: seqr.url,
      payseraSandboxUrl: payseraSandbox.url,
      apiKeys: ingress.apiKeys,
      env,
      client,
      worker,
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
