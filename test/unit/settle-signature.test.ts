/** Settle RSA-SHA256 signing against the vectors in shared/providers/settle.md §2.2. */
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { contentDigest, parseSettleTimestamp, settleTimestamp, signRequest, signString, stringToSign, verifyRequest, verifyString } from '../../activities/settle/signature';

// The sample key pair Settle publishes for its documentation (test fixture, not a secret).
const samplePrivateKey = readFileSync(join(__dirname, '..', 'fixtures', 'settle-sample-privkey.pem'), 'utf8');
const samplePublicKey = createPublicKey(samplePrivateKey).export({ type: 'spki', format: 'pem' }).toString();

const VECTOR_STRING = 'POST|http://server.test/some/resource/|X-SETTLE-CONTENT-DIGEST=SHA256=oWVxV3hhr8+LfVEYkv57XxW2R1wdhLsrfu3REAzmS7k=&X-SETTLE-MERCHANT=T9oWAQ3FSl6oeITuR2ZGWA&X-SETTLE-TIMESTAMP=2013-10-05 21:33:46&X-SETTLE-USER=POS1';
const VECTOR_SIGNATURE = 'etJ6pglc7jsHPKoO0wJxFu/y++2YEA2kD9ebcCmyP1H1cenf0YJrcUEgtsluTZrlrY3tYf9ULn9IHFz9OEiSyM9QatIuRwW1b+BZrx/Ati2tpiY2wuYnH1TVVVtUCRpXVRaRIi2RHTttNrWVnPHGhs1TqAGK+1Q7o3oaqujWhIAarnhQKSqRbiUNvhtaAdT0wsuxTvmE+O+87Wpbat9Nm4OKyyKOzXqpO762Iof4civcrfKTHCxnoVQL0pA3D0uLZHMLTfmusaVtc0qlaHhQlRrUDQVhNPJFbpaXH+vdp1BqZyp029TAv6lD2DDQRbLqbsHKIt7kcvD/0PJ8KGBfhw==';

describe('Settle signing (settle.md vectors)', () => {
  it('digests a body and the empty body', () => {
    assert.equal(contentDigest('{"text": "Hello world"}'), 'SHA256=oWVxV3hhr8+LfVEYkv57XxW2R1wdhLsrfu3REAzmS7k=');
    assert.equal(contentDigest(''), 'SHA256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('builds the string to sign from X-Settle-* headers only, upper-cased and sorted', () => {
    const text = stringToSign('post', 'HTTP://Server.TEST/some/resource/', {
      'X-Settle-User': 'POS1',
      'X-Settle-Timestamp': '2013-10-05 21:33:46',
      'Content-Type': 'application/json',
      'x-settle-merchant': 'T9oWAQ3FSl6oeITuR2ZGWA',
      'X-Settle-Content-Digest': contentDigest('{"text": "Hello world"}'),
    });
    assert.equal(text, VECTOR_STRING);
  });

  it('signs the vector exactly, and verifies it with the public key', () => {
    assert.equal(signString(VECTOR_STRING, samplePrivateKey), VECTOR_SIGNATURE);
    // Verified by node:crypto directly, and by our verifier; a changed string does not verify.
    assert.equal(verify('sha256', Buffer.from(VECTOR_STRING), samplePublicKey, Buffer.from(VECTOR_SIGNATURE, 'base64')), true);
    assert.equal(verifyString(VECTOR_STRING, VECTOR_SIGNATURE, samplePublicKey), true);
    assert.equal(verifyString(VECTOR_STRING.replace('POS1', 'POS2'), VECTOR_SIGNATURE, samplePublicKey), false);
  });

  it('a signed request verifies; a changed body, URL or header does not', () => {
    const body = '{"action":"refund","amount":100}';
    const url = 'https://api.sandbox.settle.eu/merchant/v1/payment_request/abc/';
    const headers = signRequest({ method: 'PUT', url, body, identity: { 'X-Settle-Merchant': 'm', 'X-Settle-User': 'u' }, privateKeyPem: samplePrivateKey, now: new Date('2026-01-02T03:04:05Z') });
    assert.equal(headers['X-Settle-Timestamp'], '2026-01-02 03:04:05');
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const received = { method: 'PUT', url, rawBody: Buffer.from(body), headers: lower };
    assert.deepEqual(verifyRequest(received, samplePublicKey), { ok: true });
    assert.equal(verifyRequest({ ...received, rawBody: Buffer.from(`${body} `) }, samplePublicKey).ok, false);
    assert.equal(verifyRequest({ ...received, url: `${url}?x=1` }, samplePublicKey).ok, false);
    assert.equal(verifyRequest({ ...received, headers: { ...lower, 'x-settle-user': 'other' } }, samplePublicKey).ok, false);
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    assert.equal(verifyRequest(received, stranger).ok, false);
  });

  it('converts Settle timestamps both ways', () => {
    assert.equal(settleTimestamp(new Date('2019-03-26T08:59:07.123Z')), '2019-03-26 08:59:07');
    assert.equal(parseSettleTimestamp('2019-03-26 08:59:07'), '2019-03-26T08:59:07.000Z');
    assert.throws(() => parseSettleTimestamp('tomorrow'));
  });
});
