/** Money in minor units, payment ids, canonical JSON and API key configuration. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, parseApiKeys } from '../../src/config';
import { canonicalJson } from '../../workflows/canonical-json';
import { parsePaymentId, paymentId } from '../../workflows/ids';
import { formatMinorUnits, parseMajorUnits } from '../../workflows/money';

describe('money', () => {
  it('formats minor units with the currency exponent, exactly', () => {
    assert.equal(formatMinorUnits(2000, 'EUR'), '20.00');
    assert.equal(formatMinorUnits(5, 'EUR'), '0.05');
    assert.equal(formatMinorUnits(1234, 'KWD'), '1.234');
    assert.equal(formatMinorUnits(7, 'ISK'), '7');
    assert.equal(formatMinorUnits(-150, 'NOK'), '-1.50');
    assert.equal(formatMinorUnits(9007199254740991, 'EUR'), '90071992547409.91');
    assert.throws(() => formatMinorUnits(1.5, 'EUR'));
    assert.throws(() => formatMinorUnits(1, 'XXX'));
  });

  it('parses decimal strings without rounding money', () => {
    assert.equal(parseMajorUnits('20.00', 'EUR'), 2000);
    assert.equal(parseMajorUnits('20', 'EUR'), 2000);
    assert.equal(parseMajorUnits('1.234', 'KWD'), 1234);
    assert.equal(parseMajorUnits('0.1', 'EUR'), 10);
    assert.throws(() => parseMajorUnits('0.001', 'EUR'), /more than 2 decimals/);
    assert.throws(() => parseMajorUnits('1e3', 'EUR'));
  });
});

describe('payment ids', () => {
  it('derive from the business key and parse back', () => {
    const id = paymentId('m-1', 'till.2', 'order_3');
    assert.equal(id, 'pay:m-1:till.2:order_3');
    assert.deepEqual(parsePaymentId(id), { merchantId: 'm-1', posId: 'till.2', posTid: 'order_3' });
    assert.equal(parsePaymentId('pay:m:till'), null);
    assert.equal(parsePaymentId('pay:m:till:a b'), null);
    assert.equal(parsePaymentId('other:m:t:o'), null);
  });

  it('canonical JSON ignores key order and undefined fields', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] }), canonicalJson({ a: [{ d: 2 }], b: 1 }));
    assert.notEqual(canonicalJson({ a: 1 }), canonicalJson({ a: '1' }));
  });
});

describe('POS_API_KEYS', () => {
  it('parses key=merchant pairs and rejects malformed ones', () => {
    assert.deepEqual([...parseApiKeys('k1=m1, k2=m2')], [['k1', 'm1'], ['k2', 'm2']]);
    assert.throws(() => parseApiKeys('k1'), ConfigError);
    assert.throws(() => parseApiKeys('k1=m 1'), ConfigError);
    assert.throws(() => parseApiKeys('k1=m1,k1=m2'), ConfigError);
  });
});
