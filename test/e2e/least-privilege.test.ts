/**
 * The ingress holds no provider secret it does not need (design, "Providers as plugins"): here the
 * production ingress process runs with only the ingress side of the environment — webhook
 * verification material and create rules, no provider credential — next to an embedded stack whose
 * worker has them. Webhooks reach this process (it is PUBLIC_BASE_URL), a Settle and a Paysera
 * payment go through it, and the Paysera spots listing is read by the worker on its behalf.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { defaultPlugins } from '../../src/providers';
import { ingressEnv, workerOnlyVariables } from '../../src/provider-config';
import { freePort, startStack, type RunningStack } from '../../src/stack';
import { FAST_TIMINGS } from '../support/e2e-stack';
import { call, eventually } from '../support/http';
import { PayseraCustomer } from '../support/paysera-customer';
import { newTid, Pos } from '../support/pos';
import { ServiceProcess } from '../support/processes';
import { payWithSettle, SettleCustomer } from '../support/settle-customer';

const workerOnly = [...workerOnlyVariables(defaultPlugins)];
let stack: RunningStack;
let ingress: ServiceProcess;
let pos: Pos;
let ingressProcessEnv: Record<string, string>;

before(async () => {
  const port = await freePort();
  stack = await startStack({ ingressPort: 0, temporalPort: 0, uiPort: null, env: { POS_API_KEYS: 'key-a=m-a', ...FAST_TIMINGS, PUBLIC_BASE_URL: `http://127.0.0.1:${port}` } });
  ingressProcessEnv = { ...(ingressEnv(defaultPlugins, stack.env) as Record<string, string>), PORT: String(port) };
  ingress = new ServiceProcess('src/main/ingress.ts', ingressProcessEnv);
  await ingress.waitFor(/ingress listening/);
  pos = new Pos(`http://127.0.0.1:${port}`, 'key-a');
  await eventually('the ingress process to be ready', async () => (await call('GET', `${pos.baseUrl}/readyz`)).status === 200, 30_000);
});

after(async () => {
  await ingress.stop();
  await stack.stop();
});

describe('an ingress process with the ingress side of the environment only', () => {
  it('is given no provider credential: every worker-side variable is left out, the verification material is there', () => {
    assert.deepEqual(workerOnly.filter((name) => name in ingressProcessEnv), []);
    for (const name of ['SETTLE_SECRET', 'SETTLE_PRIVATE_KEY', 'TABBY_SECRET_KEY', 'SEQR_RESELLER_PASSWORD', 'SEQR_TERMINAL_SECRET', 'PAYSERA_MAC_KEY']) {
      assert.ok(stack.env[name], `${name} is configured on the worker`);
      assert.equal(ingressProcessEnv[name], undefined, name);
    }
    for (const name of ['SETTLE_CALLBACK_PUBLIC_KEY', 'TABBY_WEBHOOK_HEADER', 'TABBY_WEBHOOK_SECRET', 'PAYSERA_CALLBACK_PUBLIC_KEY']) assert.ok(ingressProcessEnv[name], name);
    assert.doesNotMatch(ingress.printed, /worker-only variables/);
  });

  it('takes a Settle payment, whose signed callbacks it verifies', async () => {
    const settle = new SettleCustomer(stack.sandboxUrl('settle'), stack.env.SETTLE_SHORTLINK_ID ?? '');
    const created = await pos.create({ provider: 'settle', pos_id: 'till-1', pos_tid: newTid(), amount: 1250, currency: 'EUR' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await payWithSettle(pos, settle, created.body)).captured_amount, 1250);
  });

  it('lists Paysera spots through a worker, takes a Paysera payment, and answers 502 when Paysera fails the listing', async () => {
    const customer = new PayseraCustomer(stack.sandboxUrl('paysera'));
    await customer.checkIn('TABLE3');
    const listing = await call<{ data: { id: number; identifier: string; known: boolean; code: string }[] }>('GET', `${pos.baseUrl}/v1/paysera/spots?status=waiting`, { headers: { authorization: 'Bearer key-a' } });
    assert.equal(listing.status, 200, JSON.stringify(listing.body));
    const table = listing.body.data.find((spot) => spot.identifier.toUpperCase() === 'TABLE3');
    assert.ok(table, JSON.stringify(listing.body));
    assert.equal(table.known, true);
    assert.equal(table.code, `PAYSERA*${stack.env.PAYSERA_LOCATION_ID}:TABLE3`);

    const created = await pos.create({ provider: 'paysera', pos_id: 'waiter-1', pos_tid: newTid(), amount: 1800, currency: 'EUR', provider_options: { spot_id: table.id } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await customer.act(created.body, 'reserve');
    assert.equal((await pos.waitForState(created.body.id, 'captured', 30_000)).captured_amount, 1800);

    await customer.fault({ method: 'GET', path_pattern: '^/rest/v1/spots', fault: 'status_503', times: 1 });
    const failed = await call('GET', `${pos.baseUrl}/v1/paysera/spots`, { headers: { authorization: 'Bearer key-a' } });
    assert.equal(failed.status, 502, JSON.stringify(failed.body));
    assert.equal(failed.body.code, 'provider_unavailable');
    assert.match(failed.body.detail, /Paysera did not answer the spot listing/);
  });
});
