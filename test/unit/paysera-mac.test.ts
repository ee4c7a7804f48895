/**
 * Paysera MAC authentication against every verified vector of shared/providers/paysera.md §2, the
 * Authorization header both ways, request verification as the sandbox does it, and callback
 * signatures (§6).
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { signCallback, verifyCallback } from '../../activities/paysera/callback-signature';
import {
  authorizationHeader,
  bodyHash,
  buildExt,
  generateNonce,
  macOf,
  normalizedString,
  parseAuthorizationHeader,
  signRequest,
  verifyMac,
} from '../../activities/paysera/mac';

// The public documentation's example key and request parameters (§2).
const KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';
const TS = '1343811600';
const NONCE = 'nQnNaSNyubfPErjRO55yaaEYo9YZfKHN';
const HOST = 'wallet.paysera.com';
const PORT = 443;
/** Pretty-printed, 4-space indent, no trailing newline: the bytes the documented body_hash covers. */
const ORDER_BODY = '{\n    "transaction_key": "Pu5CPePCkm3TJPlkcbcshzkIlxeLU3WR"\n}';
const ORDER_EXT = 'body_hash=CGmZSkySf2IjkLaY8h1isHhIfV0s4zB45DtYKGYG1Ds%3D';

const VECTORS: { method: string; uri: string; body?: string; mac: string }[] = [
  { method: 'GET', uri: '/rest/v1/payment/10145', mac: '/qxTA8FOgT0Dd0MHh9k/sUQ3Q38ckx8+S0PBxpIuttY=' },
  { method: 'GET', uri: '/rest/v1/spot?code=PAYSERA*3%3ATABLE1', mac: 'Fq2JdkPxXggdNUjjhMuMXD6TNxwyTC8bkG3bJGIx3L4=' },
  { method: 'GET', uri: '/rest/v1/spot/1', mac: 'BrESuxFsVum5GlD3Wt+IRZP9mMDDDSqP87EPy17ymD4=' },
  { method: 'PUT', uri: '/rest/v1/spot/1/check-in', mac: '3C/sxDllC+4px0UdbtEtTavCqB6Er8lZbIkKtWlQ92U=' },
  { method: 'GET', uri: '/rest/v1/order/52', mac: 'bczsUDRIYRfi159d7eRH1NirKdVGbdkH8wn/mwyH4g0=' },
  { method: 'GET', uri: '/rest/v1/spots?status=waiting&limit=3', mac: 'Uawl/ym+bO801+pgQQlgSKXFyMulwcOUGqoWZAKKrhI=' },
  { method: 'PUT', uri: '/rest/v1/spot/1/close', mac: 'aiRHKuK/w48Xaxb9OiCcc1tQXK5zYIOk4L/mWwY0Wtc=' },
  { method: 'DELETE', uri: '/rest/v1/order/52', mac: 'hQUsJo76gvf1SBfxBdOqOj4SMReoME3z8x+lI8zERqA=' },
  { method: 'POST', uri: '/rest/v1/spot/1/order', body: ORDER_BODY, mac: 'ohPt7bbwTxtqXDnXLtRC82iI1EkPEwoVI1Ya9xMmDhc=' },
  { method: 'PUT', uri: '/rest/v1/order/52', body: ORDER_BODY, mac: 'rR/gwtiNhTSonuIgKXqJlMLLSBZfgjAgaahZLN4G43s=' },
];

const CLIENTS = [{ clientId: 'wkVd93h2uS', macKey: KEY }];

describe('Paysera MAC (paysera.md §2 vectors)', () => {
  for (const vector of VECTORS) {
    it(`${vector.method} ${vector.uri}`, () => {
      const ext = buildExt(vector.body);
      assert.equal(ext, vector.body === undefined ? '' : ORDER_EXT);
      const normalized = normalizedString({ ts: TS, nonce: NONCE, method: vector.method, uri: vector.uri, host: HOST, port: PORT, ext });
      assert.equal(macOf(normalized, KEY), vector.mac);
      // The same through signRequest, from a full URL as the client builds it.
      const header = signRequest({ ...CLIENTS[0]!, method: vector.method, url: new URL(`https://${HOST}${vector.uri}`), body: vector.body, ts: Number(TS), nonce: NONCE });
      assert.equal(parseAuthorizationHeader(header)?.mac, vector.mac);
    });
  }

  it('normalizes as 7 newline-terminated lines, method upper-cased and host lower-cased', () => {
    const normalized = normalizedString({ ts: TS, nonce: NONCE, method: 'get', uri: '/rest/v1/spot/1', host: 'Wallet.Paysera.COM', port: 443, ext: '' });
    assert.equal(normalized, `${TS}\n${NONCE}\nGET\n/rest/v1/spot/1\nwallet.paysera.com\n443\n\n`);
  });

  it('hashes the exact bytes: compact JSON of the same body differs', () => {
    assert.equal(bodyHash(ORDER_BODY), 'CGmZSkySf2IjkLaY8h1isHhIfV0s4zB45DtYKGYG1Ds=');
    assert.notEqual(bodyHash(JSON.stringify(JSON.parse(ORDER_BODY))), bodyHash(ORDER_BODY));
  });

  it('encodes ext like http_build_query: body_hash first, then extras', () => {
    assert.equal(buildExt(undefined), '');
    assert.equal(buildExt(''), '');
    assert.equal(buildExt(undefined, { a: 'x y~*' }), 'a=x+y%7E%2A');
    assert.match(buildExt('{}', { extra: '1' }), /^body_hash=[^&]+%3D&extra=1$/);
  });

  it('uses the URL port, else 443 for https and 80 for http', () => {
    const sign = (url: string) => parseAuthorizationHeader(signRequest({ ...CLIENTS[0]!, method: 'GET', url: new URL(url), ts: 1, nonce: 'n' }))?.mac;
    const macFor = (port: number) => macOf(normalizedString({ ts: '1', nonce: 'n', method: 'GET', uri: '/x', host: 'h.test', port, ext: '' }), KEY);
    assert.equal(sign('https://h.test/x'), macFor(443));
    assert.equal(sign('http://h.test/x'), macFor(80));
    assert.equal(sign('http://H.test:8080/x'), macFor(8080));
  });
});

describe('Paysera Authorization header', () => {
  it('formats as the documentation shows, ext only when non-empty', () => {
    const base = { clientId: 'wkVd93h2uS', ts: TS, nonce: NONCE, mac: 'Fq2JdkPxXggdNUjjhMuMXD6TNxwyTC8bkG3bJGIx3L4=' };
    assert.equal(
      authorizationHeader({ ...base, ext: '' }),
      'MAC id="wkVd93h2uS", ts="1343811600", nonce="nQnNaSNyubfPErjRO55yaaEYo9YZfKHN", mac="Fq2JdkPxXggdNUjjhMuMXD6TNxwyTC8bkG3bJGIx3L4="',
    );
    assert.equal(
      authorizationHeader({ ...base, mac: 'ohPt7bbwTxtqXDnXLtRC82iI1EkPEwoVI1Ya9xMmDhc=', ext: ORDER_EXT }),
      `MAC id="wkVd93h2uS", ts="1343811600", nonce="nQnNaSNyubfPErjRO55yaaEYo9YZfKHN", mac="ohPt7bbwTxtqXDnXLtRC82iI1EkPEwoVI1Ya9xMmDhc=", ext="${ORDER_EXT}"`,
    );
  });

  it('parses what it formats, including nonces with commas, = and spaces', () => {
    for (let i = 0; i < 200; i++) {
      const header = { clientId: 'client', ts: TS, nonce: generateNonce(), mac: 'bWFj', ext: i % 2 === 0 ? '' : ORDER_EXT };
      assert.deepEqual(parseAuthorizationHeader(authorizationHeader(header)), header);
    }
    assert.equal(parseAuthorizationHeader('MAC id="a", ts="1", nonce=" ,x=\\"", mac="m"'), null);
    assert.equal(parseAuthorizationHeader('MAC id="a", ts="1", nonce=", mac=\'x\' ", mac="m"')?.nonce, ", mac='x' ");
  });

  it('refuses what is not a complete MAC header', () => {
    assert.equal(parseAuthorizationHeader('Bearer abc'), null);
    assert.equal(parseAuthorizationHeader('MAC id="a", ts="1", nonce="n"'), null);
    assert.equal(parseAuthorizationHeader('MAC id="a" ts="1", nonce="n", mac="m"'), null);
    assert.equal(parseAuthorizationHeader('MAC id="a", id="b", ts="1", nonce="n", mac="m"'), null);
  });

  it('generates 32-character nonces from the documented alphabet', () => {
    for (let i = 0; i < 100; i++) assert.match(generateNonce(), /^[\x20-\x21\x23-\x5b\x5d-\x7e]{32}$/);
  });
});

describe('Paysera MAC verification', () => {
  const signed = (body?: string) => ({
    method: 'POST',
    uri: '/rest/v1/spot/1/order',
    host: HOST,
    port: '443',
    body: Buffer.from(body ?? ''),
    authorization: signRequest({ ...CLIENTS[0]!, method: 'POST', url: new URL(`https://${HOST}/rest/v1/spot/1/order`), body, ts: Number(TS), nonce: NONCE }),
  });

  it('accepts the documented POST and names its client', () => {
    assert.deepEqual(verifyMac(signed(ORDER_BODY), CLIENTS), { ok: true, clientId: 'wkVd93h2uS' });
  });

  it('refuses a changed body, a missing body_hash, another key, client, URI or port', () => {
    const request = signed(ORDER_BODY);
    const reason = (result: ReturnType<typeof verifyMac>) => (result.ok ? 'ok' : result.reason);
    assert.equal(reason(verifyMac({ ...request, body: Buffer.from(JSON.stringify(JSON.parse(ORDER_BODY))) }, CLIENTS)), 'body_hash does not match the body');
    assert.equal(reason(verifyMac({ ...signed(), body: Buffer.from('{}') }, CLIENTS)), 'request has a body but ext has no body_hash');
    assert.equal(reason(verifyMac(request, [{ clientId: 'wkVd93h2uS', macKey: 'other' }])), 'MAC does not match');
    assert.equal(reason(verifyMac(request, [{ clientId: 'someone', macKey: KEY }])), 'unknown client id wkVd93h2uS');
    assert.equal(reason(verifyMac({ ...request, uri: '/rest/v1/spot/2/order' }, CLIENTS)), 'MAC does not match');
    assert.equal(reason(verifyMac({ ...request, port: '80' }, CLIENTS)), 'MAC does not match');
    assert.equal(reason(verifyMac({ ...request, authorization: undefined }, CLIENTS)), 'missing Authorization header');
  });

  it('shows the normalized string it expected when the MAC does not match', () => {
    const result = verifyMac({ ...signed(), method: 'PUT' }, CLIENTS);
    assert.equal(result.ok, false);
    assert.equal(!result.ok && result.normalized, `${TS}\n${NONCE}\nPUT\n/rest/v1/spot/1/order\n${HOST}\n443\n\n`);
  });
});

describe('Paysera callback signature (paysera.md §6)', () => {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
  const event = JSON.stringify({ type: 'reserved', object: 'transaction', data: { transaction_key: 'abc', status: 'reserved' } });

  it('verifies its own signature over the exact event string', () => {
    assert.equal(verifyCallback({ event, sign: signCallback(event, keys.privateKey) }, keys.publicKey), true);
  });

  it('refuses a tampered event, another key and garbage', () => {
    const sign = signCallback(event, keys.privateKey);
    assert.equal(verifyCallback({ event: event.replace('reserved', 'confirmed'), sign }, keys.publicKey), false);
    assert.equal(verifyCallback({ event: `${event} `, sign }, keys.publicKey), false);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.equal(verifyCallback({ event, sign }, stranger), false);
    assert.equal(verifyCallback({ event, sign: 'not base64 at all' }, keys.publicKey), false);
    assert.equal(verifyCallback({ event, sign }, 'not a key'), false);
  });
});
