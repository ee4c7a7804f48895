/**
 * What the plugin list promises, checked without a stack: the ingress side of every provider is
 * built without reading one worker-only variable (whatever the environment holds), the worker side
 * reads its credentials, and traits follow from what an adapter implements, nothing else.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ProviderAdapter } from '../../activities/provider';
import { traitsOf } from '../../activities/provider-traits';
import { ConfigError } from '../../src/config';
import { buildIngressProviders, buildWorkerProviders, defaultPlugins } from '../../src/providers';

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

/** A complete environment for every built-in provider (values only need to parse). */
const ENV: Record<string, string> = {
  SETTLE_BASE_URL: 'http://127.0.0.1:1/merchant/v1/', SETTLE_MERCHANT_ID: 'm', SETTLE_USER_ID: 'u', SETTLE_SECRET: 'settle-secret', SETTLE_PRIVATE_KEY: privateKey, SETTLE_CALLBACK_PUBLIC_KEY: publicKey, SETTLE_SHORTLINK_ID: 'sl',
  TABBY_BASE_URL: 'http://127.0.0.1:2', TABBY_SECRET_KEY: 'sk_test_x', TABBY_MERCHANT_CODE: 'branch', TABBY_WEBHOOK_HEADER: 'X-Hook', TABBY_WEBHOOK_SECRET: 'a-webhook-secret-of-length',
  SEQR_BASE_URL: 'http://127.0.0.1:3/soap', SEQR_RESELLER_ID: 'r', SEQR_RESELLER_USER_ID: 'ru', SEQR_RESELLER_PASSWORD: 'pw', SEQR_TERMINAL_SECRET: 'a-terminal-secret-long',
  PAYSERA_BASE_URL: 'http://127.0.0.1:4', PAYSERA_CLIENT_ID: 'c', PAYSERA_MAC_KEY: 'mac', PAYSERA_LOCATION_ID: '3', PAYSERA_CALLBACK_PUBLIC_KEY: publicKey,
};

/** `env`, recording every variable read. */
function watched(env: Record<string, string>): { env: Record<string, string>; read: Set<string> } {
  const read = new Set<string>();
  return { read, env: new Proxy(env, { get: (target, name) => (typeof name === 'string' ? (read.add(name), target[name]) : undefined) }) };
}

const sideOf = (name: string) => defaultPlugins.flatMap((plugin) => Object.entries(plugin.variables)).find(([variable]) => variable === name)?.[1];

describe('provider configuration by side', () => {
  it('the ingress reads no worker-only variable, secret or not, and still serves every provider', () => {
    const { env, read } = watched(ENV);
    const providers = buildIngressProviders(defaultPlugins, env);
    assert.deepEqual([...providers.keys()], ['settle', 'tabby', 'seqr', 'paysera']);
    assert.deepEqual([...read].filter((name) => sideOf(name)?.side === 'worker'), []);
    for (const secret of ['SETTLE_SECRET', 'SETTLE_PRIVATE_KEY', 'TABBY_SECRET_KEY', 'SEQR_RESELLER_PASSWORD', 'SEQR_TERMINAL_SECRET', 'PAYSERA_MAC_KEY']) {
      assert.equal(sideOf(secret)?.side, 'worker', secret);
      assert.ok(!read.has(secret), secret);
    }
  });

  it('the ingress starts without any worker credential; the worker refuses to, naming the missing one', () => {
    const ingressOnly = Object.fromEntries(Object.entries(ENV).filter(([name]) => sideOf(name)?.side !== 'worker'));
    assert.equal(buildIngressProviders(defaultPlugins, ingressOnly).size, 4);
    assert.throws(() => buildWorkerProviders(defaultPlugins, ingressOnly, () => () => Promise.resolve(null)), (error: unknown) => error instanceof ConfigError && /SETTLE_MERCHANT_ID/.test(error.message));
  });

  it('the worker reads its credentials, and no ingress-only verification material', () => {
    const { env, read } = watched(ENV);
    assert.equal(buildWorkerProviders(defaultPlugins, env, () => () => Promise.resolve(null)).size, 4);
    assert.ok(read.has('PAYSERA_MAC_KEY'));
    assert.deepEqual([...read].filter((name) => sideOf(name)?.side === 'ingress'), []);
  });
});

describe('traits from capabilities', () => {
  const timings = { pollHeartbeatTimeoutMs: 20_000, refundWindowMs: 1000 };
  const base: ProviderAdapter = {
    pollIntervalMs: 700,
    prepare: () => Promise.reject(new Error('unused')),
    observe: () => Promise.reject(new Error('unused')),
    cancel: () => Promise.reject(new Error('unused')),
    refund: () => Promise.resolve(),
  };

  it('an adapter with only the required methods has none of the special behaviours', () => {
    assert.deepEqual(traitsOf('x', base, timings), {
      poll_interval_ms: 700, poll_heartbeat_timeout_ms: 20_000, refund_window_ms: 1000, renew_authorization_before_ms: null, customer_window_ms: null,
      confirms_capture: false, polls_for_customer: false, refunds_partially: true, finishes_at_provider: false,
    });
  });

  it('each optional capability turns on its trait', () => {
    const traits = traitsOf('x', {
      ...base,
      renewAuthorization: () => Promise.reject(new Error('unused')),
      renewBeforeMs: 5000,
      findCustomer: () => Promise.resolve(null),
      finish: () => Promise.resolve(),
      confirmCapture: () => Promise.resolve(),
      customerWindowMs: 30_000,
      refundsWholeOnly: true,
    }, timings);
    assert.deepEqual(
      [traits.renew_authorization_before_ms, traits.polls_for_customer, traits.finishes_at_provider, traits.confirms_capture, traits.customer_window_ms, traits.refunds_partially],
      [5000, true, true, true, 30_000, false],
    );
  });

  it('a renewal cadence without a renew method (or the reverse) is refused', () => {
    assert.throws(() => traitsOf('x', { ...base, renewBeforeMs: 5000 }, timings), /renewBeforeMs/);
    assert.throws(() => traitsOf('x', { ...base, renewAuthorization: () => Promise.reject(new Error('unused')) }, timings), /renewBeforeMs/);
  });

  it('the built-in providers get the traits they had before', () => {
    const providers = buildWorkerProviders(defaultPlugins, ENV, () => () => Promise.resolve(null));
    const special = (name: string) => {
      const traits = providers.get(name)?.traits;
      assert.ok(traits, name);
      const { renew_authorization_before_ms, customer_window_ms, confirms_capture, polls_for_customer, refunds_partially, finishes_at_provider } = traits;
      return { renew_authorization_before_ms, customer_window_ms, confirms_capture, polls_for_customer, refunds_partially, finishes_at_provider };
    };
    const plain = { renew_authorization_before_ms: null, customer_window_ms: null, confirms_capture: false, polls_for_customer: false, refunds_partially: true, finishes_at_provider: false };
    assert.deepEqual(special('settle'), { ...plain, renew_authorization_before_ms: 12 * 3600 * 1000 });
    assert.deepEqual(special('tabby'), plain);
    assert.deepEqual(special('seqr'), { ...plain, customer_window_ms: 30_000, confirms_capture: true });
    assert.deepEqual(special('paysera'), { ...plain, polls_for_customer: true, refunds_partially: false, finishes_at_provider: true });
  });
});
