/**
 * The ingress's pure defences (issue 10, items 3 and 4): tamper-evident list cursors, strict query
 * validation, the Settle callback timestamp window, bounded throttles for webhook logs and SEQR
 * hints, and who sees which Paysera spot.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { merchantOfCallback, SpotVisibility, spotVisibleTo } from '../../activities/paysera/spot-visibility';
import type { Spot, Transaction } from '../../activities/paysera/wire';
import { settleTimestamp, signRequest } from '../../activities/settle/signature';
import { DEFAULT_CALLBACK_TOLERANCE_MS, verifySettleWebhook } from '../../activities/settle/webhook';
import { payseraPlugin } from '../../activities/paysera';
import { settlePlugin } from '../../activities/settle';
import { ConfigError } from '../../src/config';
import { ListCursors, listScope } from '../../src/ingress/cursor';
import { getQuery, listQuery } from '../../src/ingress/payment-routes';
import { HttpProblem } from '../../src/ingress/problem';
import { loadProviderConfig } from '../../src/provider-config';
import { parseQuery } from '../../src/ingress/query';
import { PerKeyRateLimit, ThrottledLog } from '../../src/ingress/throttle';

const listing = listQuery(['settle', 'tabby']);
const loadSettleConfig = (env: Record<string, string>) => loadProviderConfig(settlePlugin, env, 'ingress');
const loadPayseraConfig = (env: Record<string, string>) => loadProviderConfig(payseraPlugin, env, 'worker');

/** The 422's field messages, or a failure when `run` did not throw one. */
function validationFields(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof HttpProblem, String(error));
    assert.equal(error.status, 422);
    assert.equal(error.code, 'validation_failed');
    return (error.extra.errors as { field: string }[]).map((entry) => entry.field);
  }
  assert.fail('expected a 422');
}

describe('list cursors', () => {
  const keys = new Map([['key-a', 'm-a'], ['key-b', 'm-b']]);
  const cursors = ListCursors.fromApiKeys(keys);
  const scope = listScope('m-a', { state: 'captured' });
  const token = Buffer.from('{"CloseTime":"2026-12-02T22:00:00Z","RunID":"abc"}');

  it('a cursor it gave out opens to the same token, on any ingress configured with the same keys', () => {
    const cursor = cursors.seal(token, scope);
    assert.match(cursor, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(cursors.open(cursor, scope), token);
    // Another process, the same POS_API_KEYS listed in another order: the same key.
    const other = ListCursors.fromApiKeys(new Map([['key-b', 'm-b'], ['key-a', 'm-a']]));
    assert.deepEqual(other.open(cursor, scope), token);
  });

  it('garbage, a changed token or MAC, another merchant, other filters or other keys are refused', () => {
    const cursor = cursors.seal(token, scope);
    const [tokenPart = '', macPart = ''] = cursor.split('.');
    const flipped = (text: string) => `${text.slice(0, -2)}${text.at(-2) === 'A' ? 'B' : 'A'}${text.slice(-1)}`;
    for (const bad of ['', 'garbage', 'AAAA', `${tokenPart}.`, `.${macPart}`, `${flipped(tokenPart)}.${macPart}`, `${tokenPart}.${flipped(macPart)}`, `${tokenPart}.${macPart}x`, `${cursor}.${macPart}`]) {
      assert.equal(cursors.open(bad, scope), null, bad);
    }
    assert.equal(cursors.open(cursor, listScope('m-b', { state: 'captured' })), null);
    assert.equal(cursors.open(cursor, listScope('m-a', {})), null);
    assert.equal(ListCursors.fromApiKeys(new Map([['key-c', 'm-a']])).open(cursor, scope), null);
  });
});

describe('query strings', () => {
  it('unknown parameters are 422, each named', () => {
    assert.deepEqual(validationFields(() => parseQuery(listing, { stat: 'captured', foo: '1' })), ['stat', 'foo']);
    assert.deepEqual(validationFields(() => parseQuery(getQuery, { wait: '3' })), ['wait']);
  });

  it('wrong values, repeated parameters and cursors of the wrong shape are 422 on their field', () => {
    assert.deepEqual(validationFields(() => parseQuery(listing, { limit: '0' })), ['limit']);
    assert.deepEqual(validationFields(() => parseQuery(listing, { limit: '1e3' })), ['limit']);
    assert.deepEqual(validationFields(() => parseQuery(listing, { limit: ['1', '2'] })), ['limit']);
    assert.deepEqual(validationFields(() => parseQuery(listing, { cursor: 'garbage' })), ['cursor']);
    assert.deepEqual(validationFields(() => parseQuery(listing, { state: 'paid' })), ['state']);
    assert.deepEqual(validationFields(() => parseQuery(getQuery, { wait_for_version: '-1' })), ['wait_for_version']);
    assert.deepEqual(validationFields(() => parseQuery(getQuery, { wait_for_version: '1', timeout: '31' })), ['timeout']);
  });

  it('good queries parse with their defaults', () => {
    assert.deepEqual(parseQuery(listing, {}), { limit: 20 });
    assert.deepEqual(parseQuery(listing, { limit: '100', state: 'captured' }), { limit: 100, state: 'captured' });
    assert.deepEqual(parseQuery(getQuery, { wait_for_version: '4' }), { wait_for_version: 4, timeout: 25 });
  });
});

describe('Settle callback timestamps', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const url = 'https://pos.example/v1/webhooks/settle';
  const now = new Date('2026-12-02T22:00:00Z');
  const body = JSON.stringify({ meta: { id: 'm1', event: 'shortlink_scanned', uri: null }, object: { id: 'token:scan-1', argstring: 'pay:m-a:till-1:tx-1' } });
  /** A callback signed by Settle's key at `signedAt`, the way Settle signs (digest and timestamp headers). */
  const callback = (signedAt: Date, extra: Record<string, string> = {}) => {
    const signed = signRequest({ method: 'POST', url, body, identity: extra, privateKeyPem: keys.privateKey, now: signedAt });
    const headers = Object.fromEntries(Object.entries(signed).map(([name, value]) => [name.toLowerCase(), value]));
    return { url, rawBody: Buffer.from(body), headers };
  };
  const minutes = (count: number) => new Date(now.getTime() + count * 60_000);

  it('within 15 minutes either way: accepted', () => {
    for (const at of [now, minutes(-14.9), minutes(14.9)]) {
      const verdict = verifySettleWebhook(callback(at), keys.publicKey, DEFAULT_CALLBACK_TOLERANCE_MS, now);
      assert.equal(verdict.kind, 'signal', settleTimestamp(at));
    }
  });

  it('signed, but older or newer than 15 minutes: unauthorized, saying why', () => {
    for (const at of [minutes(-16), minutes(-60 * 24 * 30), minutes(16)]) {
      const verdict = verifySettleWebhook(callback(at), keys.publicKey, DEFAULT_CALLBACK_TOLERANCE_MS, now);
      assert.equal(verdict.kind, 'unauthorized');
      assert.match(verdict.kind === 'unauthorized' ? verdict.reason : '', /X-Settle-Timestamp .* s from our clock \(tolerance 900 s\)/);
    }
  });

  it('the tolerance is configurable, and defaults to 900 s', () => {
    assert.equal(verifySettleWebhook(callback(minutes(-2)), keys.publicKey, 60_000, now).kind, 'unauthorized');
    const env = { SETTLE_BASE_URL: 'http://127.0.0.1:1/merchant/v1/', SETTLE_MERCHANT_ID: 'm', SETTLE_USER_ID: 'u', SETTLE_SECRET: 's', SETTLE_CALLBACK_PUBLIC_KEY: keys.publicKey, SETTLE_SHORTLINK_ID: 'sl' };
    assert.equal(loadSettleConfig(env)?.SETTLE_CALLBACK_TOLERANCE_SECONDS, 900);
    assert.equal(loadSettleConfig({ ...env, SETTLE_CALLBACK_TOLERANCE_SECONDS: '120' })?.SETTLE_CALLBACK_TOLERANCE_SECONDS, 120);
    assert.throws(() => loadSettleConfig({ ...env, SETTLE_CALLBACK_TOLERANCE_SECONDS: 'soon' }), ConfigError);
  });

  it('a bad signature stays a bad signature, whatever the timestamp', () => {
    const forged = callback(now);
    const verdict = verifySettleWebhook({ ...forged, rawBody: Buffer.from(body.replace('tx-1', 'tx-2')) }, keys.publicKey, DEFAULT_CALLBACK_TOLERANCE_MS, now);
    assert.deepEqual(verdict, { kind: 'unauthorized', reason: 'content digest does not match the body' });
  });
});

describe('throttles', () => {
  it('PerKeyRateLimit: one per key per interval, keys independent, memory bounded', () => {
    let clock = 0;
    const limit = new PerKeyRateLimit(1000, 3, () => clock);
    assert.equal(limit.admit('p1'), true);
    assert.equal(limit.admit('p1'), false);
    assert.equal(limit.admit('p2'), true);
    clock = 999;
    assert.equal(limit.admit('p1'), false);
    clock = 1000;
    assert.equal(limit.admit('p1'), true);
    for (let index = 0; index < 100; index += 1) limit.admit(`flood-${index}`);
    assert.equal(limit.size, 3);
  });

  it('ThrottledLog: one line per key per interval, the next says how many were held back', () => {
    let clock = 0;
    const lines: string[] = [];
    const log = new ThrottledLog(10_000, (line) => lines.push(line), 100, () => clock);
    for (let index = 0; index < 500; index += 1) log.log('seqr unauthorized', 'rejected');
    log.log('settle unauthorized', 'settle rejected');
    assert.deepEqual(lines, ['rejected', 'settle rejected']);
    clock = 10_000;
    log.log('seqr unauthorized', 'rejected');
    assert.equal(lines.at(-1), 'rejected (499 more like it since the last such line were not logged)');
    clock = 20_000;
    log.log('seqr unauthorized', 'rejected');
    assert.equal(lines.at(-1), 'rejected');
  });
});

describe('Paysera spot visibility', () => {
  const callbackOf = (paymentId: string) => `https://pos.example/v1/webhooks/paysera?payment=${encodeURIComponent(paymentId)}`;
  const spot = (id: number, ...transactionKeys: string[]): Spot => ({ id, status: 'waiting', identifier: `table${id}`, orders: transactionKeys.map((key, index) => ({ id: id * 10 + index, transaction_key: key, status: 'pending' })) });

  it('reads the merchant from our callback URL only', () => {
    assert.equal(merchantOfCallback(callbackOf('pay:m-a:waiter-1:bill-1')), 'm-a');
    for (const foreign of [undefined, false as const, '', 'not a url', 'https://elsewhere.example/cb', callbackOf('pay:m-a:bad id:x')]) assert.equal(merchantOfCallback(foreign), null, String(foreign));
  });

  it('the rule: an order makes the table its merchant’s; otherwise the location’s merchants see it', () => {
    assert.equal(spotVisibleTo('m-a', ['m-a'], null), true);
    assert.equal(spotVisibleTo('m-b', ['m-a'], null), false);
    assert.equal(spotVisibleTo('m-b', [], null), true);
    assert.equal(spotVisibleTo('m-b', [], ['m-a']), false);
    assert.equal(spotVisibleTo('m-a', [], ['m-a']), true);
  });

  it('looks each order up once, and filters the listing per merchant', async () => {
    const transactions: Record<string, string | undefined> = { t1: callbackOf('pay:m-a:w:1'), t2: callbackOf('pay:m-b:w:2'), t3: 'https://other.example/cb' };
    let lookups = 0;
    const client = {
      transaction: (key: string) => {
        lookups += 1;
        return Promise.resolve({ transaction_key: key, created_at: 0, status: 'new', payments: [], callback_uri: transactions[key] } as Transaction);
      },
    };
    const visibility = new SpotVisibility(client, null);
    const spots = [spot(1, 't1'), spot(2, 't2'), spot(3), spot(4, 't3')];
    assert.deepEqual((await visibility.visible(spots, 'm-a')).map((entry) => entry.id), [1, 3, 4]);
    assert.deepEqual((await visibility.visible(spots, 'm-b')).map((entry) => entry.id), [2, 3, 4]);
    assert.equal(lookups, 3);
    const restricted = new SpotVisibility(client, ['m-a']);
    assert.deepEqual((await restricted.visible(spots, 'm-b')).map((entry) => entry.id), [2]);
  });

  it('PAYSERA_MERCHANTS: unset → every merchant; a list → those; nonsense → a configuration error', () => {
    const env = { PAYSERA_BASE_URL: 'http://127.0.0.1:1', PAYSERA_CLIENT_ID: 'c', PAYSERA_MAC_KEY: 'k', PAYSERA_LOCATION_ID: '3', PAYSERA_CALLBACK_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\nx\n-----END PUBLIC KEY-----' };
    assert.equal(loadPayseraConfig(env)?.PAYSERA_MERCHANTS, null);
    assert.deepEqual(loadPayseraConfig({ ...env, PAYSERA_MERCHANTS: ' m-a, m-b ' })?.PAYSERA_MERCHANTS, ['m-a', 'm-b']);
    assert.throws(() => loadPayseraConfig({ ...env, PAYSERA_MERCHANTS: 'm a' }), ConfigError);
  });
});
