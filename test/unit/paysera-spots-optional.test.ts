/**
 * PAYSERA_SPOTS is optional (contract, "Configuration"). Unset: every spot of the location is the
 * merchant's (payments may name any, the spots view marks all known) and the forged-spot watcher is
 * off, which the worker says once. Set: only the printed spots, and the watcher closes the others.
 * The worker side is built from the environment as the worker builds it, against the Paysera sandbox.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { ConfiguredWorker } from '../../activities/payment-activities';
import { payseraPlugin } from '../../activities/paysera';
import type { PayseraAdapter } from '../../activities/paysera/adapter';
import { ConfigError } from '../../src/config';
import { loadProviderConfig } from '../../src/provider-config';
import { buildWorkerProviders } from '../../src/providers';
import { startPayseraSandbox, type RunningPayseraSandbox } from '../../src/sandboxes/paysera';
import { ensureHousekeeping } from '../../src/worker';
import type { CreatePaymentRequest } from '../../workflows/payment';
import { call } from '../support/http';

const LOCATION = 3;
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
let sandbox: RunningPayseraSandbox;

/** The contract's Paysera variables for the sandbox, PAYSERA_SPOTS as given (or left out). */
function payseraEnv(spots?: string): Record<string, string> {
  return {
    PAYSERA_BASE_URL: sandbox.url,
    PAYSERA_CLIENT_ID: 'unit-client',
    PAYSERA_MAC_KEY: 'unit-mac-key-0123456789',
    PAYSERA_LOCATION_ID: String(LOCATION),
    PAYSERA_CALLBACK_PUBLIC_KEY: keys.publicKey,
    ...(spots === undefined ? {} : { PAYSERA_SPOTS: spots }),
  };
}

function payseraModuleOf(spots?: string): ConfiguredWorker {
  const worker = buildWorkerProviders([payseraPlugin], payseraEnv(spots), () => () => Promise.resolve(null)).get('paysera');
  assert.ok(worker, 'paysera is configured');
  return worker;
}

const adapterOf = (worker: ConfiguredWorker) => worker.adapter as PayseraAdapter;
const loadPayseraConfig = (env: Record<string, string>) => loadProviderConfig(payseraPlugin, env, 'worker');

function paymentAt(spotCode: string) {
  const request: CreatePaymentRequest = {
    provider: 'paysera', pos_id: 'waiter-1', pos_tid: 'bill-1', amount: 100, currency: 'EUR', capture_mode: 'auto',
    timeout_seconds: 60, description: null, line_items: null, provider_options: { spot_code: spotCode },
  };
  return { payment_id: 'pay:m:waiter-1:bill-1', merchant_id: 'm', provider: 'paysera' as const, request };
}

/** A spot no one printed, with a customer checked in at it. */
async function patioWithCustomer(module: ConfiguredWorker, identifier: string): Promise<number> {
  const spot = await adapterOf(module).client.spotByCode(`PAYSERA*${LOCATION}:${identifier}`);
  const checkIn = await call('POST', `${sandbox.url}/_sandbox/spots/${spot.id}/check-in`, { body: {} });
  assert.ok(checkIn.status < 300, JSON.stringify(checkIn.body));
  return spot.id;
}

/** The worker's read behind GET /v1/paysera/spots?status=waiting, for merchant `m`. */
async function spotsView(worker: ConfiguredWorker): Promise<{ identifier: string | null; known: boolean }[]> {
  const read = worker.reads?.spots;
  assert.ok(read, 'paysera reads spots');
  return (await read({ status: 'waiting' }, 'm')) as { identifier: string | null; known: boolean }[];
}

/** Just what ensureHousekeeping asks of a Temporal client, recorded. */
function fakeClient(cancel: () => Promise<void>) {
  const calls = { started: [] as string[], cancelled: [] as string[] };
  const client = {
    workflow: {
      start: (_type: string, options: { workflowId: string }) => { calls.started.push(options.workflowId); return Promise.resolve(); },
      getHandle: (workflowId: string) => ({ cancel: () => { calls.cancelled.push(workflowId); return cancel(); } }),
    },
  } as unknown as Client;
  return { client, calls };
}

before(async () => {
  sandbox = await startPayseraSandbox({
    clients: [{ clientId: 'unit-client', macKey: 'unit-mac-key-0123456789' }],
    callbackPrivateKeyPem: keys.privateKey,
    locationId: LOCATION,
    knownSpots: ['TABLE1', 'TABLE2'],
  });
});

after(async () => {
  await sandbox.close();
});

describe('PAYSERA_SPOTS in the configuration', () => {
  it('unset or blank → no list (null), not an empty one', () => {
    assert.equal(loadPayseraConfig(payseraEnv())?.PAYSERA_SPOTS, null);
    assert.equal(loadPayseraConfig(payseraEnv(''))?.PAYSERA_SPOTS, null);
    assert.equal(loadPayseraConfig(payseraEnv('  '))?.PAYSERA_SPOTS, null);
  });

  it('set → the identifiers, trimmed', () => {
    assert.deepEqual(loadPayseraConfig(payseraEnv(' TABLE1, TABLE2 ,'))?.PAYSERA_SPOTS, ['TABLE1', 'TABLE2']);
  });

  it('a list of nothing but commas is a mistake, not "every spot"', () => {
    assert.throws(() => loadPayseraConfig(payseraEnv(',,')), (error: unknown) => error instanceof ConfigError && /PAYSERA_SPOTS lists no spot/.test(error.message));
  });

  it('the other Paysera variables stay required', () => {
    const env = payseraEnv();
    delete env.PAYSERA_MAC_KEY;
    assert.throws(() => loadPayseraConfig(env), (error: unknown) => error instanceof ConfigError && /PAYSERA_MAC_KEY/.test(error.message));
  });
});

describe('PAYSERA_SPOTS unset', () => {
  it('accepts a spot of the location whatever its identifier', async () => {
    const prepared = await adapterOf(payseraModuleOf()).prepare(paymentAt(`PAYSERA*${LOCATION}:PATIO1`));
    assert.equal(prepared.kind, 'ready');
    assert.equal(prepared.kind === 'ready' && prepared.qr_content, `PAYSERA*${LOCATION}:PATIO1`);
  });

  it('runs no watcher: the worker says so once and stops one an earlier configuration started', async () => {
    const module = payseraModuleOf();
    assert.ok(module.housekeeping && 'off' in module.housekeeping);
    const lines: string[] = [];
    const { client, calls } = fakeClient(() => Promise.resolve());
    await ensureHousekeeping(client, 'payments', new Map([['paysera', module]]), (line) => lines.push(line));
    assert.deepEqual(lines, [`paysera: PAYSERA_SPOTS is unset: every spot of location ${LOCATION} is accepted and no spot is closed as forged`]);
    assert.deepEqual(calls, { started: [], cancelled: ['housekeeping:paysera'] });
  });

  it('with no watcher left over, starting the worker is quiet about it', async () => {
    const { client, calls } = fakeClient(() => Promise.reject(new WorkflowNotFoundError('not found', 'housekeeping:paysera', undefined)));
    await ensureHousekeeping(client, 'payments', new Map([['paysera', payseraModuleOf()]]), () => undefined);
    assert.deepEqual(calls.cancelled, ['housekeeping:paysera']);
  });

  it('closes no spot, even when asked to sweep; the spots view marks every spot known', async () => {
    const module = payseraModuleOf();
    const patio = await patioWithCustomer(module, 'PATIO2');
    assert.match(await adapterOf(module).closeForgedSpots(), /no spot is forged/);
    assert.equal((await adapterOf(module).client.spot(patio)).status, 'waiting');
    const view = await spotsView(module);
    assert.ok(view.some((spot) => spot.identifier?.toUpperCase() === 'PATIO2'));
    assert.ok(view.every((spot) => spot.known), JSON.stringify(view));
  });
});

describe('PAYSERA_SPOTS set', () => {
  it('refuses a spot that is not printed, as before', async () => {
    await assert.rejects(adapterOf(payseraModuleOf('TABLE1,TABLE2')).prepare(paymentAt(`PAYSERA*${LOCATION}:PATIO3`)), /not one of this merchant's spots/);
  });

  it('starts the watcher, which closes the unprinted spot', async () => {
    const module = payseraModuleOf('TABLE1,TABLE2');
    const { client, calls } = fakeClient(() => Promise.resolve());
    await ensureHousekeeping(client, 'payments', new Map([['paysera', module]]), () => assert.fail('nothing to say'));
    assert.deepEqual(calls, { started: ['housekeeping:paysera'], cancelled: [] });
    const patio = await patioWithCustomer(module, 'PATIO4');
    assert.match(await adapterOf(module).closeForgedSpots(), /closed forged spots/);
    assert.equal((await adapterOf(module).client.spot(patio)).status, 'closed');
  });
});
