/**
 * The adapters' shared pieces against answers computed outside the code under test: the provider
 * documents' vectors and examples, `openssl` on the fixture key, the runtime's own ISO 4217 data
 * (Intl), and the sandbox's separately written SOAP reader.
 * None of these is a round trip through the module being checked.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { signCallback, verifyCallback } from '../../activities/paysera/callback-signature';
import { buildRequest, parseEnvelope } from '../../activities/seqr/soap';
import { signRequest, stringToSign, verifyRequest } from '../../activities/settle/signature';
import { readRequestEnvelope } from '../../src/sandboxes/seqr/soap-envelopes';
import { checkSignedCall } from '../../src/sandboxes/settle/rsa-auth';
import { currencyExponent, formatMinorUnits, isKnownCurrency, parseMajorUnits } from '../../workflows/money';

const FIXTURE_KEY = join(__dirname, '..', 'fixtures', 'settle-sample-privkey.pem');
const work = mkdtempSync(join(tmpdir(), 'known-answers-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** base64 RSA-SHA256 (PKCS#1 v1.5) signature of `text` by openssl with the fixture key. */
function opensslSign(text: string): string {
  const file = join(work, `text-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, text);
  return execFileSync('openssl', ['dgst', '-sha256', '-sign', FIXTURE_KEY, file]).toString('base64');
}

/** The fixture's public key, as openssl extracts it. */
const fixturePublicKey = execFileSync('openssl', ['rsa', '-in', FIXTURE_KEY, '-pubout'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();

/** Whether openssl verifies base64 `signature` over `text` with the fixture's public key. */
function opensslVerifies(text: string, signature: string): boolean {
  const id = Math.random().toString(36).slice(2);
  const [textFile, sigFile, keyFile] = ['text', 'sig', 'pub'].map((name) => join(work, `${name}-${id}`)) as [string, string, string];
  writeFileSync(textFile, text);
  writeFileSync(sigFile, Buffer.from(signature, 'base64'));
  writeFileSync(keyFile, fixturePublicKey);
  try {
    execFileSync('openssl', ['dgst', '-sha256', '-verify', keyFile, '-signature', sigFile, textFile], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

// settle.md §2.2 "Test vectors": the string to sign and its signature under the sample key.
const SETTLE_TEXT =
  'POST|http://server.test/some/resource/|X-SETTLE-CONTENT-DIGEST=SHA256=oWVxV3hhr8+LfVEYkv57XxW2R1wdhLsrfu3REAzmS7k=&X-SETTLE-MERCHANT=T9oWAQ3FSl6oeITuR2ZGWA&X-SETTLE-TIMESTAMP=2013-10-05 21:33:46&X-SETTLE-USER=POS1';
const SETTLE_SIGNATURE =
  'etJ6pglc7jsHPKoO0wJxFu/y++2YEA2kD9ebcCmyP1H1cenf0YJrcUEgtsluTZrlrY3tYf9ULn9IHFz9OEiSyM9QatIuRwW1b+BZrx/Ati2tpiY2wuYnH1TVVVtUCRpXVRaRIi2RHTttNrWVnPHGhs1TqAGK+1Q7o3oaqujWhIAarnhQKSqRbiUNvhtaAdT0wsuxTvmE+O+87Wpbat9Nm4OKyyKOzXqpO762Iof4civcrfKTHCxnoVQL0pA3D0uLZHMLTfmusaVtc0qlaHhQlRrUDQVhNPJFbpaXH+vdp1BqZyp029TAv6lD2DDQRbLqbsHKIt7kcvD/0PJ8KGBfhw==';

describe('the fixture and the document agree (openssl)', () => {
  it('openssl reproduces settle.md’s signature with the sample key, and verifies it', () => {
    assert.equal(opensslSign(SETTLE_TEXT), SETTLE_SIGNATURE);
    assert.equal(opensslVerifies(SETTLE_TEXT, SETTLE_SIGNATURE), true);
    assert.equal(opensslVerifies(SETTLE_TEXT.replace('POS1', 'POS2'), SETTLE_SIGNATURE), false);
  });
});

describe('Settle URL canonicalisation (settle.md §2.2: the URL exactly as sent, scheme and host lower-cased, no fragment)', () => {
  const url = 'HTTPS://Api.Sandbox.Settle.EU:8443/merchant/v1/payment_request/?created_from=2026-01-01&Page_Size=10&status=ok#top';

  it('keeps the port and the query (order and case), lower-cases scheme and host, drops the fragment', () => {
    assert.equal(
      stringToSign('get', url, { 'X-Settle-Merchant': 'T9oWAQ3FSl6oeITuR2ZGWA', Accept: 'application/json' }),
      'GET|https://api.sandbox.settle.eu:8443/merchant/v1/payment_request/?created_from=2026-01-01&Page_Size=10&status=ok|X-SETTLE-MERCHANT=T9oWAQ3FSl6oeITuR2ZGWA',
    );
  });

  it('a request signed with a query and a port carries openssl’s signature of the documented string', () => {
    const headers = signRequest({ method: 'GET', url, body: '', identity: { 'X-Settle-Merchant': 'T9oWAQ3FSl6oeITuR2ZGWA', 'X-Settle-User': 'POS1' }, privateKeyPem: readFileSync(FIXTURE_KEY, 'utf8'), now: new Date('2026-01-02T03:04:05Z') });
    const expectedText =
      'GET|https://api.sandbox.settle.eu:8443/merchant/v1/payment_request/?created_from=2026-01-01&Page_Size=10&status=ok|X-SETTLE-CONTENT-DIGEST=SHA256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=&X-SETTLE-MERCHANT=T9oWAQ3FSl6oeITuR2ZGWA&X-SETTLE-TIMESTAMP=2026-01-02 03:04:05&X-SETTLE-USER=POS1';
    assert.equal(headers.Authorization, `RSA-SHA256 ${opensslSign(expectedText)}`);
    // The sandbox's independent check accepts it at the URL as sent; another port or query is refused.
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const sent = { method: 'GET', url: 'https://api.sandbox.settle.eu:8443/merchant/v1/payment_request/?created_from=2026-01-01&Page_Size=10&status=ok', rawBody: Buffer.alloc(0), headers: lower };
    assert.equal(checkSignedCall(sent, fixturePublicKey).valid, true);
    assert.equal(checkSignedCall({ ...sent, url: sent.url.replace(':8443', '') }, fixturePublicKey).valid, false);
    assert.equal(checkSignedCall({ ...sent, url: sent.url.replace('Page_Size', 'page_size') }, fixturePublicKey).valid, false);
  });

  it('verifies a signature openssl made over a URL with a query and a port', () => {
    const received = {
      method: 'POST',
      url: 'https://pos.example:8443/v1/webhooks/settle?payment=pay%3Am-a%3A1',
      rawBody: Buffer.from('{"text": "Hello world"}'),
      headers: {
        'x-settle-content-digest': 'SHA256=oWVxV3hhr8+LfVEYkv57XxW2R1wdhLsrfu3REAzmS7k=',
        'x-settle-timestamp': '2013-10-05 21:33:46',
        'x-settle-user': 'POS1',
      } as Record<string, string>,
    };
    const text = `POST|${received.url}|X-SETTLE-CONTENT-DIGEST=SHA256=oWVxV3hhr8+LfVEYkv57XxW2R1wdhLsrfu3REAzmS7k=&X-SETTLE-TIMESTAMP=2013-10-05 21:33:46&X-SETTLE-USER=POS1`;
    const withSignature = { ...received, headers: { ...received.headers, authorization: `RSA-SHA256 ${opensslSign(text)}` } };
    assert.deepEqual(verifyRequest(withSignature, fixturePublicKey), { ok: true });
    assert.equal(verifyRequest({ ...withSignature, url: received.url.replace(':8443', ':443') }, fixturePublicKey).ok, false);
  });
});

describe('Paysera callback signature (paysera.md §6: base64 RSA-SHA256, PKCS#1 v1.5, over the exact event string)', () => {
  const event = '{"type":"reserved","object":"transaction","data":{"transaction_key":"Pu5CPePCkm3TJPlkcbcshzkIlxeLU3WR","status":"reserved"}}';
  const privateKey = readFileSync(FIXTURE_KEY, 'utf8');

  it('signs exactly as openssl does, and as settle.md’s vector (the same algorithm) says', () => {
    assert.equal(signCallback(event, privateKey), opensslSign(event));
    assert.equal(signCallback(SETTLE_TEXT, privateKey), SETTLE_SIGNATURE);
  });

  it('verifies openssl’s signature with the public key; refuses it over another event', () => {
    const sign = opensslSign(event);
    assert.equal(verifyCallback({ event, sign }, fixturePublicKey), true);
    assert.equal(verifyCallback({ event: event.replace('reserved"}', 'confirmed"}'), sign }, fixturePublicKey), false);
  });
});

describe('money exponents (ISO 4217, as the runtime’s ICU data has them)', () => {
  // ISO 4217 minor units, typed from the standard's table (list one, 2024).
  const ISO_4217: Record<string, number> = { AED: 2, SAR: 2, KWD: 3, BHD: 3, QAR: 2, EGP: 2, EUR: 2, NOK: 2, SEK: 2, DKK: 2, GBP: 2, USD: 2, PLN: 2, CHF: 2, ISK: 0, JPY: 0, OMR: 3, JOD: 3, TND: 3 };
  const known = Object.keys(ISO_4217).filter(isKnownCurrency);

  it('covers the currencies our providers take', () => {
    for (const currency of ['AED', 'SAR', 'KWD', 'EUR', 'NOK', 'SEK', 'DKK', 'ISK']) assert.ok(known.includes(currency), currency);
  });

  it('every known currency has the ISO 4217 exponent, which ICU confirms', () => {
    for (const currency of known) {
      const icu = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
      assert.equal(currencyExponent(currency), ISO_4217[currency], currency);
      // ICU follows CLDR, which rounds ISK cash amounts but keeps ISO's 0 digits for it.
      assert.equal(icu, ISO_4217[currency], `ICU ${currency}`);
    }
  });

  it('formats and parses one of each exponent as written by hand', () => {
    assert.deepEqual([formatMinorUnits(12345, 'KWD'), formatMinorUnits(12345, 'EUR'), formatMinorUnits(12345, 'ISK')], ['12.345', '123.45', '12345']);
    assert.deepEqual([parseMajorUnits('12.345', 'KWD'), parseMajorUnits('123.45', 'EUR'), parseMajorUnits('12345', 'ISK')], [12345, 12345, 12345]);
  });
});

describe('SEQR envelopes (seqr.md §1: document/literal wrapped, only the operation element namespaced)', () => {
  // Typed by hand from seqr.md §1, as a SOAP client of SEQR's WSDL writes it.
  const FIELDS = {
    context: { channel: 'WS', clientId: 'Acme POS', clientReference: 'ref-1', clientRequestTimeout: '0', initiatorPrincipalId: { id: '87e791f9e24148a6892c52aa85bb0331', type: 'TERMINALID' }, password: 'till-secret' },
    invoiceReference: '0001397222701693',
    invoiceVersion: '0',
  };
  const REQUEST =
    '<?xml version="1.0" encoding="UTF-8"?>' +
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ext="http://external.interfaces.ers.seamless.com/"><soapenv:Header/><soapenv:Body>' +
    '<ext:getPaymentStatus><context><channel>WS</channel><clientId>Acme POS</clientId><clientReference>ref-1</clientReference><clientRequestTimeout>0</clientRequestTimeout>' +
    '<initiatorPrincipalId><id>87e791f9e24148a6892c52aa85bb0331</id><type>TERMINALID</type></initiatorPrincipalId><password>till-secret</password></context>' +
    '<invoiceReference>0001397222701693</invoiceReference><invoiceVersion>0</invoiceVersion></ext:getPaymentStatus></soapenv:Body></soapenv:Envelope>';
  // SEQR's answer as seqr.md §1 describes the JAX-WS wrapper, another prefix for the envelope.
  const RESPONSE =
    '<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"><S:Body><ns2:getPaymentStatusResponse xmlns:ns2="http://external.interfaces.ers.seamless.com/">' +
    '<return><resultCode>0</resultCode><resultDescription>SUCCESS</resultDescription><status>ISSUED</status><version>1</version></return>' +
    '</ns2:getPaymentStatusResponse></S:Body></S:Envelope>';

  it('our request is the documented one: the sandbox’s own reader finds the same operation and fields in both', () => {
    const ours = buildRequest('getPaymentStatus', FIELDS);
    assert.deepEqual(readRequestEnvelope(ours), readRequestEnvelope(REQUEST));
    assert.deepEqual(readRequestEnvelope(REQUEST), { operation: 'getPaymentStatus', fields: FIELDS });
    // Only the operation element is qualified; nothing below it has a prefix or a default namespace.
    assert.doesNotMatch(ours, /xmlns="/);
    assert.deepEqual([...ours.matchAll(/<(\w+):(\w+)/g)].map((m) => `${m[1]}:${m[2]}`), ['soapenv:Envelope', 'soapenv:Header', 'soapenv:Body', 'ext:getPaymentStatus']);
  });

  it('reads the documented answer wrapper, whatever the prefixes', () => {
    assert.deepEqual(parseEnvelope(RESPONSE), { kind: 'element', name: 'getPaymentStatusResponse', fields: { return: { resultCode: '0', resultDescription: 'SUCCESS', status: 'ISSUED', version: '1' } } });
  });
});
