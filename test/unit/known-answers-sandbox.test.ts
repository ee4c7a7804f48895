/**
 * The sandboxes' own implementations of their providers' security, envelopes, codes and money,
 * pinned to the vectors and examples in shared/providers/*.md. The adapters' tests pin the same
 * vectors, so the two sides agree because both follow the documents, not because they share code.
 */
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkMac, computeMac, macInput, readMacHeader, signEvent } from '../../src/sandboxes/paysera/mac-check';
import { RESULT_NAMES, isResultCode } from '../../src/sandboxes/seqr/result-codes';
import { toDecimal, toMinorUnits as seqrMinor } from '../../src/sandboxes/seqr/money';
import { faultEnvelope, readRequestEnvelope, responseEnvelope, UnreadableSoap } from '../../src/sandboxes/seqr/soap-envelopes';
import { checkSignedCall, digestHeader, rsaSign, settleClock, signedText } from '../../src/sandboxes/settle/rsa-auth';
import { decimalToMinor, minorToDecimal } from '../../src/sandboxes/shared/decimal-money';
import { toMajorUnits, toMinorUnits as tabbyMinor } from '../../src/sandboxes/tabby/money';

// Settle's published sample key pair (settle.md §2.2; a documentation fixture, not a secret).
const settlePrivateKey = readFileSync(join(__dirname, '..', 'fixtures', 'settle-sample-privkey.pem'), 'utf8');
const settlePublicKey = createPublicKey(settlePrivateKey).export({ type: 'spki', format: 'pem' }).toString();

// settle.md §2.2 "Test vectors".
const SETTLE_BODY = '{"text": "Hello world"}';
const SETTLE_DIGEST = 'SHA256=oWVxV3hhr8+LfVEYkv57XxW2R1wdhLsrfu3REAzmS7k=';
const SETTLE_EMPTY_DIGEST = 'SHA256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=';
const SETTLE_TEXT = `POST|http://server.test/some/resource/|X-SETTLE-CONTENT-DIGEST=${SETTLE_DIGEST}&X-SETTLE-MERCHANT=T9oWAQ3FSl6oeITuR2ZGWA&X-SETTLE-TIMESTAMP=2013-10-05 21:33:46&X-SETTLE-USER=POS1`;
const SETTLE_SIGNATURE =
  'etJ6pglc7jsHPKoO0wJxFu/y++2YEA2kD9ebcCmyP1H1cenf0YJrcUEgtsluTZrlrY3tYf9ULn9IHFz9OEiSyM9QatIuRwW1b+BZrx/Ati2tpiY2wuYnH1TVVVtUCRpXVRaRIi2RHTttNrWVnPHGhs1TqAGK+1Q7o3oaqujWhIAarnhQKSqRbiUNvhtaAdT0wsuxTvmE+O+87Wpbat9Nm4OKyyKOzXqpO762Iof4civcrfKTHCxnoVQL0pA3D0uLZHMLTfmusaVtc0qlaHhQlRrUDQVhNPJFbpaXH+vdp1BqZyp029TAv6lD2DDQRbLqbsHKIt7kcvD/0PJ8KGBfhw==';

describe('Settle sandbox signatures (settle.md §2.2 vectors)', () => {
  it('digests the vector body and the empty body', () => {
    assert.equal(digestHeader(SETTLE_BODY), SETTLE_DIGEST);
    assert.equal(digestHeader(Buffer.alloc(0)), SETTLE_EMPTY_DIGEST);
  });

  it('builds the documented string to sign from any header casing and order, ignoring other headers', () => {
    const text = signedText('post', 'HTTP://SERVER.test/some/resource/', [
      ['x-settle-user', 'POS1'],
      ['content-type', 'application/json'],
      ['x-settle-timestamp', '2013-10-05 21:33:46'],
      ['X-Settle-Merchant', 'T9oWAQ3FSl6oeITuR2ZGWA'],
      ['x-settle-content-digest', SETTLE_DIGEST],
    ]);
    assert.equal(text, SETTLE_TEXT);
  });

  it('keeps the path case-sensitive and drops a fragment', () => {
    assert.equal(signedText('GET', 'HTTPS://Api.Example/Merchant/V1/?A=B#frag', []), 'GET|https://api.example/Merchant/V1/?A=B|');
  });

  it('signs the vector exactly (deterministic PKCS#1 v1.5)', () => {
    assert.equal(rsaSign(SETTLE_TEXT, settlePrivateKey), SETTLE_SIGNATURE);
  });

  it('accepts the documented request and refuses it with another body or signature', () => {
    const headers = {
      'x-settle-merchant': 'T9oWAQ3FSl6oeITuR2ZGWA',
      'x-settle-user': 'POS1',
      'x-settle-timestamp': '2013-10-05 21:33:46',
      'x-settle-content-digest': SETTLE_DIGEST,
      authorization: `RSA-SHA256 ${SETTLE_SIGNATURE}`,
      'content-type': 'application/json',
    };
    const call = { method: 'POST', url: 'http://server.test/some/resource/', rawBody: Buffer.from(SETTLE_BODY), headers };
    assert.deepEqual(checkSignedCall(call, settlePublicKey), { valid: true });
    assert.deepEqual(checkSignedCall({ ...call, rawBody: Buffer.from('{}') }, settlePublicKey), { valid: false, reason: 'content digest does not match the body' });
    const otherUser = checkSignedCall({ ...call, headers: { ...headers, 'x-settle-user': 'POS2' } }, settlePublicKey);
    assert.deepEqual(otherUser, { valid: false, reason: 'Invalid signature', signedText: SETTLE_TEXT.replace('USER=POS1', 'USER=POS2') });
    assert.equal(checkSignedCall({ ...call, headers: { ...headers, authorization: 'SECRET x' } }, settlePublicKey).valid, false);
  });

  it('writes Settle timestamps as UTC YYYY-MM-DD hh:mm:ss', () => {
    assert.equal(settleClock(new Date('2013-10-05T21:33:46.789Z')), '2013-10-05 21:33:46');
    assert.equal(settleClock(new Date('2026-01-02T03:04:05Z')), '2026-01-02 03:04:05');
  });
});

// paysera.md §2 "Verified test vectors".
const PAYSERA_KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';
const PAYSERA_TS = '1343811600';
const PAYSERA_NONCE = 'nQnNaSNyubfPErjRO55yaaEYo9YZfKHN';
const PAYSERA_BODY = '{\n    "transaction_key": "Pu5CPePCkm3TJPlkcbcshzkIlxeLU3WR"\n}';
const PAYSERA_EXT = 'body_hash=CGmZSkySf2IjkLaY8h1isHhIfV0s4zB45DtYKGYG1Ds%3D';
const PAYSERA_VECTORS: [method: string, uri: string, ext: string, mac: string][] = [
  ['GET', '/rest/v1/payment/10145', '', '/qxTA8FOgT0Dd0MHh9k/sUQ3Q38ckx8+S0PBxpIuttY='],
  ['GET', '/rest/v1/spot?code=PAYSERA*3%3ATABLE1', '', 'Fq2JdkPxXggdNUjjhMuMXD6TNxwyTC8bkG3bJGIx3L4='],
  ['GET', '/rest/v1/spot/1', '', 'BrESuxFsVum5GlD3Wt+IRZP9mMDDDSqP87EPy17ymD4='],
  ['PUT', '/rest/v1/spot/1/check-in', '', '3C/sxDllC+4px0UdbtEtTavCqB6Er8lZbIkKtWlQ92U='],
  ['GET', '/rest/v1/order/52', '', 'bczsUDRIYRfi159d7eRH1NirKdVGbdkH8wn/mwyH4g0='],
  ['GET', '/rest/v1/spots?status=waiting&limit=3', '', 'Uawl/ym+bO801+pgQQlgSKXFyMulwcOUGqoWZAKKrhI='],
  ['PUT', '/rest/v1/spot/1/close', '', 'aiRHKuK/w48Xaxb9OiCcc1tQXK5zYIOk4L/mWwY0Wtc='],
  ['DELETE', '/rest/v1/order/52', '', 'hQUsJo76gvf1SBfxBdOqOj4SMReoME3z8x+lI8zERqA='],
  ['POST', '/rest/v1/spot/1/order', PAYSERA_EXT, 'ohPt7bbwTxtqXDnXLtRC82iI1EkPEwoVI1Ya9xMmDhc='],
  ['PUT', '/rest/v1/order/52', PAYSERA_EXT, 'rR/gwtiNhTSonuIgKXqJlMLLSBZfgjAgaahZLN4G43s='],
];

function payseraHeader(mac: string, ext: string): string {
  return `MAC id="wkVd93h2uS", ts="${PAYSERA_TS}", nonce="${PAYSERA_NONCE}", mac="${mac}"${ext === '' ? '' : `, ext="${ext}"`}`;
}

describe('Paysera sandbox MAC check (paysera.md §2 vectors)', () => {
  for (const [method, uri, ext, mac] of PAYSERA_VECTORS) {
    it(`computes the documented MAC of ${method} ${uri}`, () => {
      const input = macInput({ ts: PAYSERA_TS, nonce: PAYSERA_NONCE, method, uri, host: 'wallet.paysera.com', port: 443, ext });
      assert.ok(input.endsWith(`${ext}\n`));
      assert.equal(computeMac(input, PAYSERA_KEY), mac);
    });

    it(`accepts the documented ${method} ${uri} and refuses it under another key`, () => {
      const body = Buffer.from(ext === '' ? '' : PAYSERA_BODY);
      const call = { method, uri, host: 'WALLET.paysera.com', port: '443', body, authorization: payseraHeader(mac, ext) };
      assert.deepEqual(checkMac(call, [{ clientId: 'wkVd93h2uS', macKey: PAYSERA_KEY }]), { ok: true, clientId: 'wkVd93h2uS' });
      const refused = checkMac(call, [{ clientId: 'wkVd93h2uS', macKey: 'another key' }]);
      assert.equal(refused.ok, false);
      assert.equal(!refused.ok && refused.reason, 'MAC does not match');
    });
  }

  it('binds the body through body_hash: the compact JSON of the same body is refused', () => {
    const [, uri, ext, mac] = PAYSERA_VECTORS[8]!;
    const call = { method: 'POST', uri, host: 'wallet.paysera.com', port: 443, body: Buffer.from('{"transaction_key":"Pu5CPePCkm3TJPlkcbcshzkIlxeLU3WR"}'), authorization: payseraHeader(mac, ext) };
    assert.deepEqual(checkMac(call, [{ clientId: 'wkVd93h2uS', macKey: PAYSERA_KEY }]), { ok: false, reason: 'body_hash does not match the body' });
    const undeclared = { ...call, body: Buffer.from(PAYSERA_BODY), authorization: payseraHeader(mac, '') };
    assert.deepEqual(checkMac(undeclared, [{ clientId: 'wkVd93h2uS', macKey: PAYSERA_KEY }]), { ok: false, reason: 'request has a body but ext has no body_hash' });
  });

  it('reads the Authorization header; quoted values may hold commas and spaces', () => {
    assert.deepEqual(readMacHeader('MAC id="a", ts="1", nonce="x, y=z", mac="m"'), { id: 'a', ts: '1', nonce: 'x, y=z', mac: 'm', ext: '' });
    assert.deepEqual(readMacHeader(payseraHeader('m', PAYSERA_EXT))?.ext, PAYSERA_EXT);
    assert.equal(readMacHeader('MAC id="a", ts="1", nonce="n"'), null);
    assert.equal(readMacHeader('MAC id="a", id="b", ts="1", nonce="n", mac="m"'), null);
    assert.equal(readMacHeader('Bearer abc'), null);
  });

  it('signs callbacks with RSASSA-PKCS1-v1_5 over SHA-256 (§6): with Settle\'s sample key it reproduces settle.md\'s vector', () => {
    // Paysera documents no signature vector, but the algorithm is the one settle.md's vector pins.
    assert.equal(signEvent(SETTLE_TEXT, settlePrivateKey), SETTLE_SIGNATURE);
    const event = '{"type":"confirmed","object":"transaction","data":{"transaction_key":"Pu5CPePCkm3TJPlkcbcshzkIlxeLU3WR"}}';
    assert.ok(verify('sha256', Buffer.from(event), settlePublicKey, Buffer.from(signEvent(event, settlePrivateKey), 'base64')));
  });
});

describe('SEQR sandbox SOAP (seqr.md §1, §4, §5.2)', () => {
  const request = (operation: string, payload: string, operationNs = ' xmlns:ext="http://external.interfaces.ers.seamless.com/"') =>
    `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"${operationNs}><soapenv:Header/><soapenv:Body><ext:${operation}>${payload}</ext:${operation}></soapenv:Body></soapenv:Envelope>`;

  it('reads a document/literal wrapped request with unqualified children, repeated rows and amounts', () => {
    const xml = request(
      'sendInvoice',
      '<context><channel>WS</channel><initiatorPrincipalId><id>T1</id><type>TERMINALID</type></initiatorPrincipalId></context>' +
        '<invoice><title>Caf&#233; &amp; bar</title><invoiceRows><invoiceRow><itemTotalAmount><value>100.00</value><currency>SEK</currency></itemTotalAmount></invoiceRow>' +
        '<invoiceRow><itemTotalAmount><value>49.99</value><currency>SEK</currency></itemTotalAmount></invoiceRow></invoiceRows>' +
        '<totalAmount><value>149.99</value><currency>SEK</currency></totalAmount><footer/></invoice>',
    );
    assert.deepEqual(readRequestEnvelope(xml), {
      operation: 'sendInvoice',
      fields: {
        context: { channel: 'WS', initiatorPrincipalId: { id: 'T1', type: 'TERMINALID' } },
        invoice: {
          title: 'Café & bar',
          invoiceRows: { invoiceRow: [{ itemTotalAmount: { value: '100.00', currency: 'SEK' } }, { itemTotalAmount: { value: '49.99', currency: 'SEK' } }] },
          totalAmount: { value: '149.99', currency: 'SEK' },
          footer: '',
        },
      },
    });
  });

  it('keeps references as text: leading zeros survive', () => {
    const { fields } = readRequestEnvelope(request('getPaymentStatus', '<invoiceReference>0012345678901</invoiceReference><invoiceVersion>0</invoiceVersion>'));
    assert.deepEqual(fields, { invoiceReference: '0012345678901', invoiceVersion: '0' });
  });

  it('refuses what SEQR could not unmarshal', () => {
    const refuses = (xml: string, pattern: RegExp) => assert.throws(() => readRequestEnvelope(xml), (error: unknown) => error instanceof UnreadableSoap && pattern.test(error.message));
    // The classic mistake: a default namespace on the operation qualifies every child.
    refuses(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><sendInvoice xmlns="http://external.interfaces.ers.seamless.com/"><context/></sendInvoice></soapenv:Body></soapenv:Envelope>',
      /<context> inside <sendInvoice> is in namespace .*unqualified/,
    );
    refuses(request('sendInvoice', '', ' xmlns:ext="urn:other"'), /expected http:\/\/external\.interfaces\.ers\.seamless\.com\//);
    refuses('<not-soap/>', /not a SOAP 1\.1 envelope/);
    refuses('<a><b></a>', /not well-formed XML/);
    refuses('<!DOCTYPE x [<!ENTITY y "z">]><x/>', /DTD/);
    refuses('<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body/></s:Envelope>', /Body is missing or empty/);
    refuses(request('sendInvoice', '<x:context xmlns:x="urn:x"/>'), /<context> inside <sendInvoice> is in namespace urn:x/);
    refuses(request('sendInvoice', '<y:context/>'), /undeclared namespace prefix/);
  });

  it('answers in the JAX-WS wrapper and writes Faults', () => {
    const answer = responseEnvelope('getPaymentStatus', { resultCode: '0', resultDescription: 'SUCCESS', status: 'PAID', receipt: undefined, rows: ['a<b', 'c'] });
    assert.match(
      answer,
      /<soap:Body><ns2:getPaymentStatusResponse xmlns:ns2="http:\/\/external\.interfaces\.ers\.seamless\.com\/"><return><resultCode>0<\/resultCode><resultDescription>SUCCESS<\/resultDescription><status>PAID<\/status><rows>a&lt;b<\/rows><rows>c<\/rows><\/return><\/ns2:getPaymentStatusResponse><\/soap:Body>/,
    );
    assert.match(faultEnvelope('Client', 'bad & worse'), /<soap:Fault><faultcode>soap:Client<\/faultcode><faultstring>bad &amp; worse<\/faultstring><\/soap:Fault>/);
  });

  it('knows exactly the result codes of §5.2, by name', () => {
    assert.deepEqual(
      Object.keys(RESULT_NAMES).map(Number),
      [0, 2, 11, 20, 21, 23, 29, 33, 37, 48, 49, 50, 51, 53, 54, 60, 61, 62, 63, 64, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99],
    );
    assert.equal(RESULT_NAMES[0], 'SUCCESS');
    assert.equal(RESULT_NAMES[37], 'INITIATOR_PRINCIPAL_NOT_FOUND');
    assert.equal(RESULT_NAMES[95], 'INVOICE_ALREADY_CANCELED');
    assert.equal(RESULT_NAMES[98], 'SUM_OF_REFUNDS_CAN_NOT_BE_MORE_THAN_ORIGINAL_TRANSACTION');
    assert.equal(isResultCode(999), false, '999 EXCEPTION is the PHP wrapper\'s, not SEQR\'s');
    assert.equal(isResultCode(77), false);
  });

  it('reads and writes the documented amount (§4: 149.99 SEK)', () => {
    assert.equal(seqrMinor('149.99', 'SEK'), 14999);
    assert.equal(seqrMinor('+149.9', 'SEK'), 14990);
    assert.equal(seqrMinor('149.999', 'SEK'), null);
    assert.equal(toDecimal(14999, 'SEK'), '149.99');
    assert.equal(toDecimal(-5, 'EUR'), '-0.05');
  });
});

describe('Tabby sandbox money (tabby.md §1: decimal strings, 2 decimals for AED/SAR, 3 for KWD)', () => {
  it('reads the documented amounts into minor units, exactly', () => {
    assert.equal(tabbyMinor('100.00', 'AED'), 10000);
    assert.equal(tabbyMinor('100', 'SAR'), 10000);
    assert.equal(tabbyMinor('1.234', 'KWD'), 1234);
    assert.equal(tabbyMinor('0.5', 'KWD'), 500);
  });

  it('refuses more decimals than the currency has, signs and malformed numbers', () => {
    assert.equal(tabbyMinor('100.001', 'AED'), null);
    assert.equal(tabbyMinor('1.2345', 'KWD'), null);
    assert.equal(tabbyMinor('-1.00', 'AED'), null);
    assert.equal(tabbyMinor('1.', 'AED'), null);
    assert.equal(tabbyMinor('1e3', 'AED'), null);
    assert.equal(tabbyMinor(' 1', 'AED'), null);
  });

  it('writes minor units with the currency\'s exponent', () => {
    assert.equal(toMajorUnits(10000, 'AED'), '100.00');
    assert.equal(toMajorUnits(1234, 'KWD'), '1.234');
    assert.equal(toMajorUnits(5, 'KWD'), '0.005');
  });
});

describe('sandbox decimal money (ISO 4217 exponents)', () => {
  it('round-trips every known exponent and refuses an unknown currency', () => {
    assert.equal(minorToDecimal(120, 'ISK'), '120');
    assert.equal(decimalToMinor('120', 'ISK'), 120);
    assert.equal(decimalToMinor('1.5', 'ISK'), null);
    assert.equal(decimalToMinor('1.005', 'BHD'), 1005);
    assert.equal(decimalToMinor('1.00', 'XXX'), null);
    assert.throws(() => minorToDecimal(1, 'XXX'));
    assert.throws(() => minorToDecimal(1.5, 'EUR'));
    assert.equal(decimalToMinor('90071992547409.92', 'EUR'), null);
  });
});
