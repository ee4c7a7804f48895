/**
 * The contract's configuration, exercised as an operator would: `npm start` pointed at an external
 * provider server and an external Temporal; the production processes started with the contract's
 * variables only; POS calls while the Temporal frontend is down.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../src/stack';
import { ensureTemporalCli } from '../../src/temporal/cli';
import { startDevServer, type RunningDevServer } from '../../src/temporal/dev-server';
import { call, eventually } from '../support/http';
import { PayseraCustomer } from '../support/paysera-customer';
import { newTid, Pos } from '../support/pos';
import { readEnvFile, ServiceProcess } from '../support/processes';
import { payWithSettle, SettleCustomer } from '../support/settle-customer';

const API_KEY = 'cfg-key';
/** Every built-in sandbox on a free port rather than its documented default. */
const FREE_SANDBOX_PORTS = { SETTLE_SANDBOX_PORT: '0', TABBY_SANDBOX_PORT: '0', SEQR_SANDBOX_PORT: '0', PAYSERA_SANDBOX_PORT: '0' };
const scratch = mkdtempSync(join(tmpdir(), 'pos-config-'));
let devServer: RunningDevServer;

async function startTemporal(): Promise<RunningDevServer> {
  return startDevServer({ cliPath: await ensureTemporalCli(), port: await freePort(), httpPort: await freePort(), uiPort: null, dbFile: null });
}

/** `npm run sandboxes` for `providers`, sending callbacks to `publicBaseUrl`; answers the process and the service's variables. */
async function startSandboxProcess(providers: string, publicBaseUrl: string): Promise<{ process: ServiceProcess; env: Record<string, string> }> {
  const envFile = join(scratch, `${providers.replace(/,/g, '-')}.env`);
  const sandboxes = new ServiceProcess('src/main/sandboxes.ts', FREE_SANDBOX_PORTS, ['--providers', providers, '--public-base-url', publicBaseUrl, '--env-out', envFile]);
  for (const provider of providers.split(',')) await sandboxes.waitFor(new RegExp(`^  ${provider} +http`, 'm'));
  await sandboxes.waitFor(/variables are in/);
  return { process: sandboxes, env: readEnvFile(envFile) };
}

before(async () => {
  devServer = await startTemporal();
});

after(async () => {
  await devServer.stop();
  rmSync(scratch, { recursive: true, force: true });
});

describe('npm start honours the configuration', () => {
  it('uses the external Settle server and Temporal it is given, and sandboxes for the other providers', async () => {
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    const external = await startSandboxProcess('settle', publicBaseUrl);
    const stack = new ServiceProcess('src/main/dev.ts', {
      ...external.env,
      PORT: String(port),
      TEMPORAL_ADDRESS: devServer.address,
      TEMPORAL_NAMESPACE: devServer.namespace,
      POS_API_KEYS: `${API_KEY}=m-cfg`,
      SETTLE_POLL_INTERVAL_MS: '200',
      ...FREE_SANDBOX_PORTS,
    });
    try {
      await stack.waitFor(/Ctrl-C stops everything/);
      const banner = stack.printed;
      assert.match(banner, new RegExp(`settle +external +${external.env.SETTLE_BASE_URL}`));
      for (const provider of ['tabby', 'seqr', 'paysera']) assert.match(banner, new RegExp(`${provider} +sandbox +http://127\\.0\\.0\\.1:\\d+`));
      assert.match(banner, new RegExp(`${devServer.address} +namespace ${devServer.namespace} +\\(external: TEMPORAL_ADDRESS\\)`));
      assert.doesNotMatch(banner, new RegExp(API_KEY), 'a configured API key is never printed');

      const pos = new Pos(`http://127.0.0.1:${port}`, API_KEY);
      const created = await pos.create({ provider: 'settle', pos_id: 'till-1', pos_tid: newTid(), amount: 1250, currency: 'EUR' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const settle = new SettleCustomer(external.env.SETTLE_BASE_URL!.replace(/\/merchant\/v1\/?$/, ''), external.env.SETTLE_SHORTLINK_ID!);
      // The external server holds the payment request and the capture: the service talked to it.
      const captured = await payWithSettle(pos, settle, created.body);
      const atSettle = await settle.request(captured.provider_reference.tid!);
      assert.deepEqual(atSettle.outcome.captures.map((capture) => capture.amount), [1250]);

      // The payment is a workflow on the Temporal the variables named.
      const connection = await Connection.connect({ address: devServer.address });
      try {
        const description = await new Client({ connection, namespace: devServer.namespace }).workflow.getHandle(created.body.id).describe();
        assert.equal(description.type, 'paymentWorkflow');
      } finally {
        await connection.close();
      }
      assert.equal(await stack.stop('SIGINT'), 0);
    } finally {
      await stack.stop('SIGKILL');
      await external.process.stop();
    }
  });
});

describe('production processes on the contract variables only', () => {
  it('serve a Paysera payment by integer spot_id without PAYSERA_SPOTS, and answer 503 when Temporal is down', async () => {
    const temporal = await startTemporal();
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    const sandboxes = await startSandboxProcess('paysera', publicBaseUrl);
    // The tables are optional in the contract: without them every spot of the location is accepted.
    const payseraEnv = Object.fromEntries(Object.entries(sandboxes.env).filter(([name]) => name !== 'PAYSERA_SPOTS'));
    const contract = {
      ...payseraEnv,
      NODE_ENV: 'production',
      PORT: String(port),
      PUBLIC_BASE_URL: publicBaseUrl,
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_NAMESPACE: temporal.namespace,
      POS_API_KEYS: `${API_KEY}=m-prod`,
    };
    const worker = new ServiceProcess('src/main/worker.ts', contract);
    const ingress = new ServiceProcess('src/main/ingress.ts', contract);
    try {
      await worker.waitFor(/worker polling/);
      await worker.waitFor(/paysera: PAYSERA_SPOTS is unset: every spot of location \d+ is accepted and no spot is closed as forged/);
      await ingress.waitFor(/ingress listening/);
      await eventually('the ingress to be ready', async () => (await call('GET', `${publicBaseUrl}/readyz`)).status === 200, 30_000);

      const customer = new PayseraCustomer(sandboxes.env.PAYSERA_BASE_URL!);
      await customer.checkIn('TABLE7');
      const spot = await customer.spot('TABLE7');
      const pos = new Pos(publicBaseUrl, API_KEY);
      const created = await pos.create({ provider: 'paysera', pos_id: 'waiter-1', pos_tid: newTid(), amount: 1800, currency: 'EUR', provider_options: { spot_id: spot.id } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await customer.act(created.body, 'reserve');
      assert.equal((await pos.waitForState(created.body.id, 'captured', 30_000)).captured_amount, 1800);

      await temporal.stop();
      const read = await pos.get(created.body.id);
      assert.equal(read.status, 503, JSON.stringify(read.body));
      assert.equal(read.body.code, 'temporal_unavailable');
      assert.equal(read.headers['retry-after'], '5');
      assert.match(String(read.headers['content-type']), /application\/problem\+json/);
      const create = await pos.create({ provider: 'paysera', pos_id: 'waiter-1', pos_tid: newTid(), amount: 100, currency: 'EUR', provider_options: { spot_id: spot.id } });
      assert.equal(create.status, 503, JSON.stringify(create.body));
      assert.equal(create.body.code, 'temporal_unavailable');
      const ready = await call('GET', `${publicBaseUrl}/readyz`);
      assert.equal(ready.status, 503);
      assert.equal(ready.body.code, 'temporal_unavailable');
      assert.match(ready.body.detail, /not reachable/);
    } finally {
      await ingress.stop();
      await worker.stop('SIGKILL');
      await sandboxes.process.stop();
      await temporal.stop();
    }
  });
});
