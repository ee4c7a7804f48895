/**
 * Provider statuses are closed types parsed at the boundary (issue 12 item 6): every documented
 * value parses and maps, an undocumented one is refused by the wire schema, so no mapping ever
 * sees it. The mappings' exhaustiveness is the compiler's (a `never` default); these tests pin the
 * documented sets themselves.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusOf as payseraStatusOf } from '../../activities/paysera/status';
import { orderSchema, paymentSchema, TRANSACTION_STATUSES, transactionSchema } from '../../activities/paysera/wire';
import { SEQR_INVOICE_STATUSES } from '../../activities/seqr/client';
import { statusOf as seqrStatusOf } from '../../activities/seqr/status';
import { statusOfCode } from '../../activities/settle/status';
import { settleOutcomeSchema } from '../../activities/settle/wire';
import { statusOf as tabbyStatusOf } from '../../activities/tabby/status';
import { PAYMENT_STATUSES as TABBY_PAYMENT_STATUSES, tabbyPaymentSchema, tabbySessionSchema } from '../../activities/tabby/wire';

describe('Settle outcome statuses (settle.md §4.3, §5)', () => {
  const outcome = (extra: Record<string, unknown>) => ({ tid: 't', pos_id: 'p', pos_tid: 'x', status: 'pending', status_code: 1003, amount: 1, currency: 'EUR', ...extra });

  it('reads every documented status and any code in a documented class', () => {
    for (const status of ['pending', 'auth', 'ok', 'fail']) assert.equal(settleOutcomeSchema.parse(outcome({ status })).status, status);
    for (const code of [1003, 1005, 2401, 3008, 4018, 5901]) assert.equal(settleOutcomeSchema.parse(outcome({ status_code: code })).status_code, code);
  });

  it('refuses an undocumented status or a code outside every class where the outcome is read', () => {
    assert.equal(settleOutcomeSchema.safeParse(outcome({ status: 'settled' })).success, false);
    const unclassed = settleOutcomeSchema.safeParse(outcome({ status_code: 6001 }));
    assert.equal(unclassed.success, false);
    assert.match(unclassed.error?.issues[0]?.message ?? '', /6001 is outside every documented class/);
    assert.equal(settleOutcomeSchema.safeParse(outcome({ status_code: 999 })).success, false);
    assert.throws(() => statusOfCode(999), /outside every documented class/);
  });
});

describe('Paysera statuses (paysera.md §5)', () => {
  const transaction = (status: string) => ({ transaction_key: 'k', created_at: 1, status });

  it('reads and maps every documented transaction status', () => {
    const mapped = TRANSACTION_STATUSES.map((status) => payseraStatusOf(transactionSchema.parse(transaction(status)).status));
    assert.deepEqual(mapped, ['pending', 'pending', 'pending', 'pending', 'pending', 'authorized', 'captured', 'rejected', 'cancelled', 'failed', 'failed']);
  });

  it('reads the payment-only statuses and the order statuses', () => {
    for (const status of ['done', 'canceled', 'confirmed']) assert.equal(paymentSchema.parse({ id: 1, transaction_key: 'k', created_at: 1, status, price: 1, price_decimal: '0.01', currency: 'EUR' }).status, status);
    for (const status of ['pending', 'reserved', 'confirmed', 'closed']) assert.equal(orderSchema.parse({ id: 1, transaction_key: 'k', status }).status, status);
  });

  it('refuses an undocumented status at the boundary', () => {
    assert.equal(transactionSchema.safeParse(transaction('accepted')).success, false);
    assert.equal(transactionSchema.safeParse(transaction('done')).success, false, 'done is a payment status, not a transaction status');
    assert.equal(orderSchema.safeParse({ id: 1, transaction_key: 'k', status: 'open' }).success, false);
  });
});

describe('Tabby statuses (tabby.md §4.2, §5)', () => {
  const payment = (status: string, captures: unknown[] = []) => ({ id: 'p', status, amount: '1.00', currency: 'AED', captures });

  it('reads every documented payment status in either case and maps it', () => {
    const mapped = TABBY_PAYMENT_STATUSES.map((status) => tabbyStatusOf(tabbyPaymentSchema.parse(payment(status))));
    assert.deepEqual(mapped, ['pending', 'authorized', 'cancelled', 'rejected', 'expired']);
    assert.equal(tabbyPaymentSchema.parse(payment('authorized')).status, 'AUTHORIZED');
    assert.equal(tabbyStatusOf(tabbyPaymentSchema.parse(payment('CLOSED', [{ id: 'c', amount: '1.00' }]))), 'captured');
  });

  it('refuses an undocumented payment or session status at the boundary', () => {
    assert.equal(tabbyPaymentSchema.safeParse(payment('CAPTURED')).success, false);
    const session = (status: string) => ({ id: 's', status, payment: payment('CREATED') });
    for (const status of ['created', 'rejected', 'expired', 'approved']) assert.equal(tabbySessionSchema.parse(session(status)).status, status);
    assert.equal(tabbySessionSchema.safeParse(session('pending')).success, false);
  });
});

describe('SEQR invoice statuses (seqr.md §5.1)', () => {
  it('maps every WSDL status', () => {
    assert.deepEqual(SEQR_INVOICE_STATUSES.map(seqrStatusOf), ['pending', 'pending', 'authorized', 'captured', 'failed', 'failed']);
  });
});
