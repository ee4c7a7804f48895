/**
 * Mutual TLS for real: a CA and certificates made with openssl for this run, the PostgreSQL-backed
 * Temporal server (temporal-config/server/postgres.yaml) serving its frontend over TLS and requiring a
 * client certificate signed by that CA, and the production worker and ingress processes connected
 * through it with nothing but Temporal's own client variables (TEMPORAL_TLS_*). A Settle payment goes
 * through end to end; a client without a certificate, or without TLS, is refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Connection, type ConnectionOptions } from '@temporalio/client';
import { startSandboxes, type FleetSandbox } from '../../src/sandbox-fleet';
import { settlePlugin } from '../../activities/settle';
import { webhookUrl } from '../../src/providers';
import { freePort } from '../../src/stack';
import { isTemporalUnreachable, temporalClient } from '../../src/temporal/client';
import { describeConnection, loadTemporalConfig } from '../../src/temporal/connection-config';
import { call, eventually } from '../support/http';
import { newTid, Pos } from '../support/pos';
import { ServiceProcess } from '../support/processes';
import { payWithSettle, SettleCustomer } from '../support/settle-customer';
import { clusterSkipReason, startTemporalCluster, type RunningCluster } from '../support/temporal-cluster';
import { createTestPki } from '../support/tls-certificates';

/** The frontend's certificate names only this DNS name; clients reach 127.0.0.1 and verify this name. */
const SERVER_NAME = 'temporal.test';
const API_KEY = 'mtls-till-key';

let skipReason: string | undefined;
const scratch = mkdtempSync(join(tmpdir(), 'pos-mtls-'));
let cluster: RunningCluster | undefined;
let sandbox: FleetSandbox | undefined;
/** The client variables, exactly as an operator sets them for the worker and the ingress. */
let clientTls: Record<string, string> = {};
const processes: ServiceProcess[] = [];

before(async () => {
  skipReason = await clusterSkipReason();
  if (skipReason) return;
  const pki = await createTestPki(scratch);
  const frontend = await pki.issue(SERVER_NAME, 'server');
  const service = await pki.issue('pos-qr-payments', 'client');
  const systemWorker = await pki.issue('temporal-system-worker', 'client');
  clientTls = {
    TEMPORAL_TLS_CLIENT_CERT_PATH: service.certPath,
    TEMPORAL_TLS_CLIENT_KEY_PATH: service.keyPath,
    TEMPORAL_TLS_SERVER_CA_CERT_PATH: pki.caPath,
    TEMPORAL_TLS_SERVER_NAME: SERVER_NAME,
  };
  cluster = await startTemporalCluster({
    serverEnv: {
      TEMPORAL_TLS_FRONTEND_CERT: frontend.certPath,
      TEMPORAL_TLS_FRONTEND_KEY: frontend.keyPath,
      TEMPORAL_TLS_CLIENT_CA_CERT: pki.caPath,
      TEMPORAL_TLS_SERVER_CA_CERT: pki.caPath,
      TEMPORAL_TLS_FRONTEND_SERVER_NAME: SERVER_NAME,
      TEMPORAL_TLS_SYSTEM_WORKER_CERT: systemWorker.certPath,
      TEMPORAL_TLS_SYSTEM_WORKER_KEY: systemWorker.keyPath,
    },
    // The namespace setup's `temporal` CLI reads the same variables.
    clientEnv: clientTls,
  });
});

after(async () => {
  for (const child of processes) await child.stop('SIGKILL');
  await sandbox?.close();
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** Whether a connection with `options` gets an answer from the frontend. */
async function answers(options: ConnectionOptions): Promise<boolean> {
  try {
    const connection = await Connection.connect({ ...options, connectTimeout: 3000 });
    try {
      await connection.workflowService.getSystemInfo({});
      return true;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

describe('mutual TLS to a PostgreSQL-backed Temporal', () => {
  it('the worker and the ingress connect with TEMPORAL_TLS_* only, and a Settle payment is captured', async (t) => {
    if (skipReason || !cluster) {
      t.skip(skipReason);
      return;
    }
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    [sandbox] = await startSandboxes([settlePlugin], () => ({ port: 0, host: '127.0.0.1', webhookUrl: webhookUrl(publicBaseUrl, 'settle'), env: {} }));
    const env = {
      ...sandbox!.env,
      ...clientTls,
      TEMPORAL_ADDRESS: cluster.address,
      TEMPORAL_NAMESPACE: cluster.namespace,
      PORT: String(port),
      PUBLIC_BASE_URL: publicBaseUrl,
      POS_API_KEYS: `${API_KEY}=m-mtls`,
      SETTLE_POLL_INTERVAL_MS: '200',
    };
    const worker = new ServiceProcess('src/main/worker.ts', env);
    const ingress = new ServiceProcess('src/main/ingress.ts', env);
    processes.push(worker, ingress);

    await worker.waitFor(new RegExp(`worker polling .* on ${cluster.address.replace(/\./g, '\\.')} \\(mTLS\\)`));
    await ingress.waitFor(/ingress listening/);
    await eventually('the ingress to be ready over mTLS', async () => (await call('GET', `${publicBaseUrl}/readyz`)).status === 200, 30_000);

    const pos = new Pos(publicBaseUrl, API_KEY);
    const created = await pos.create({ provider: 'settle', pos_id: 'till-1', pos_tid: newTid(), amount: 1500, currency: 'EUR' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const settle = new SettleCustomer(sandbox!.url, sandbox!.env.SETTLE_SHORTLINK_ID!);
    assert.equal((await payWithSettle(pos, settle, created.body)).captured_amount, 1500);

    // Key material stays in the files: neither process prints it.
    for (const printed of [worker.printed, ingress.printed]) assert.doesNotMatch(printed, /PRIVATE KEY|BEGIN CERTIFICATE/);
  });

  it('refuses a client without a certificate (to the ingress, Temporal is unreachable: a 503) and one without TLS', async (t) => {
    if (skipReason || !cluster) {
      t.skip(skipReason);
      return;
    }
    const address = cluster.address;
    const withoutCertificate = loadTemporalConfig({ ...clientTls, TEMPORAL_ADDRESS: address, TEMPORAL_TLS_CLIENT_CERT_PATH: '', TEMPORAL_TLS_CLIENT_KEY_PATH: '' });
    assert.equal(describeConnection(withoutCertificate.connection), `${address} (TLS)`);
    const client = temporalClient(withoutCertificate);
    try {
      await assert.rejects(client.workflowService.getSystemInfo({}), (error) => isTemporalUnreachable(error));
    } finally {
      await client.connection.close();
    }
    assert.equal(await answers({ address }), false, 'plaintext');
    assert.equal(await answers(loadTemporalConfig({ ...clientTls, TEMPORAL_ADDRESS: address }).connection), true, 'the service\'s configuration with its certificate');
  });
});
