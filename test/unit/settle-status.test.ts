/** Settle outcome → provider status, including the documented rule for codes we do not list. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settlePosTid } from '../../activities/settle/adapter';
import { observationOf, statusOfCode } from '../../activities/settle/status';
import type { ProviderPaymentContext } from '../../workflows/provider-contract';

const outcome = (status_code: number, extra: Record<string, unknown> = {}) => ({
  tid: 'p2ybyw4tq73n', pos_id: 'till-1', pos_tid: 'm.o-1', status: 'pending' as const, status_code, amount: 2000, currency: 'EUR',
  auth_amount: 0, captures: [], refunds: [], date_expires: '2019-03-26 08:59:07', ...extra,
});

describe('Settle status mapping', () => {
  it('maps every documented code', () => {
    assert.deepEqual(
      [1003, 3008, 2000, 4004, 4019, 5006, 5011, 5012].map(statusOfCode),
      ['pending', 'authorized', 'captured', 'failed', 'cancelled', 'rejected', 'expired', 'expired'],
    );
  });

  it('follows the documented rule for unlisted codes: 1xxx/3xxx wait, 2xxx success, 4xxx/5xxx failure', () => {
    assert.deepEqual([1005, 3001, 2401, 4018, 5007].map(statusOfCode), ['pending', 'pending', 'captured', 'failed', 'failed']);
    assert.throws(() => statusOfCode(6001), /outside every documented class/);
  });

  it('derives amounts and the authorization expiry from the outcome', () => {
    const authorized = observationOf(outcome(3008, { auth_amount: 2000 }));
    assert.equal(authorized.authorized_amount, 2000);
    assert.equal(authorized.authorization_expires_at, '2019-03-26T08:59:07.000Z');
    const partlyCaptured = observationOf(outcome(2000, { captures: [{ id: 'c', amount: 1500 }], refunds: [{ id: 'r', amount: 500 }] }));
    assert.deepEqual([partlyCaptured.authorized_amount, partlyCaptured.captured_amount, partlyCaptured.refunded_amount], [1500, 1500, 500]);
    assert.equal(partlyCaptured.authorization_expires_at, null);
    assert.deepEqual(observationOf(outcome(5006)).failure, { code: 'settle_5006', message: 'Settle answered 5006 REJECTED' });
  });

  it('keeps Settle pos_tid unique per merchant and within 64 characters', () => {
    const context = (merchant: string, posTid: string): ProviderPaymentContext => ({
      payment_id: `pay:${merchant}:till:${posTid}`, merchant_id: merchant, provider: 'settle',
      request: { provider: 'settle', pos_id: 'till', pos_tid: posTid, amount: 1, currency: 'EUR', capture_mode: 'auto', timeout_seconds: 60, description: null, line_items: null, provider_options: {} },
    });
    assert.equal(settlePosTid(context('m1', 'o-1')), 'm1.o-1');
    const long = settlePosTid(context('m'.repeat(40), 'o'.repeat(40)));
    assert.ok(long.length <= 64);
    assert.notEqual(long, settlePosTid(context('n'.repeat(40), 'o'.repeat(40))));
  });
});
