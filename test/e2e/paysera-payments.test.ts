/**
 * Paysera spots end to end: the table's code is the QR; the payment waits for a check-in, puts an
 * order on the spot, confirms the reservation and closes the spot; cancel, timeout, manual capture,
 * refunds, the forged-spot watcher, signed callbacks and a lost order-create answer.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { PayseraClient } from '../../activities/paysera/client';
import { useStack } from '../support/e2e-stack';
import { call, eventually } from '../support/http';
import { newTid } from '../support/pos';

const e2e = useStack({ env: { PAYSERA_POLL_INTERVAL_MS: '200', PAYSERA_WATCH_INTERVAL_SECONDS: '1' } });
const customer = () => e2e().paysera;
const code = (table: string) => `PAYSERA*${e2e().stack.env.PAYSERA_LOCATION_ID}:${table}`;
const order = (table: string, extra: Record<string, unknown> = {}) => ({ provider: 'paysera', pos_id: 'waiter-1', pos_tid: newTid(), amount: 2350, currency: 'EUR', provider_options: { spot_code: code(table) }, ...extra });

describe('Paysera payments', () => {
  it('check-in, order, reserve, confirm → captured, and the spot is closed', async () => {
    const { pos } = e2e();
    const created = await pos.create(order('TABLE1'));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'awaiting_customer');
    assert.equal(created.body.qr?.content, code('TABLE1'));
    await customer().checkIn('TABLE1');
    await customer().act(created.body, 'reserve');
    const captured = await pos.waitForState(created.body.id, 'captured');
    assert.equal(captured.captured_amount, 2350);
    // The order and payment ids the adapter needs later stay out of the public reference.
    assert.deepEqual(Object.keys(captured.provider_reference).sort(), ['spot_code', 'spot_id', 'transaction_key']);
    const transaction = await customer().transaction(captured.provider_reference.transaction_key!);
    assert.equal(transaction.status, 'confirmed');
    await eventually('the spot to be closed', async () => (await customer().spot('TABLE1')).status === 'closed');
    await e2e().recordHistory('paysera-captured', created.body.id);
  });

  it('a payment started before anyone checked in waits; no order exists until the check-in', async () => {
    const { pos } = e2e();
    const created = (await pos.create(order('TABLE2'))).body;
    assert.deepEqual(await customer().orders(created), []);
    await customer().checkIn('TABLE2');
    const ordered = await pos.waitFor(created.id, (p) => p.provider_reference.transaction_key !== undefined);
    assert.equal((await customer().orders(ordered)).length, 1);
    await pos.command(created.id, 'cancel', {});
  });

  it('the customer rejects → rejected', async () => {
    const { pos } = e2e();
    const created = (await pos.create(order('TABLE3'))).body;
    await customer().checkIn('TABLE3');
    await customer().act(created, 'reject');
    assert.equal((await pos.waitForState(created.id, 'rejected')).captured_amount, 0);
    await e2e().recordHistory('paysera-rejected', created.id);
  });

  it('cashier cancel → transaction revoked, order removed, spot closed', async () => {
    const { pos } = e2e();
    const created = (await pos.create(order('TABLE4'))).body;
    await customer().checkIn('TABLE4');
    const ordered = await pos.waitFor(created.id, (p) => p.provider_reference.transaction_key !== undefined);
    const cancelled = await pos.command(created.id, 'cancel', {});
    assert.equal(cancelled.body.state, 'cancelled');
    assert.equal((await customer().transaction(ordered.provider_reference.transaction_key!)).status, 'revoked');
    assert.ok((await customer().orders(ordered)).every((o) => o.status === 'closed'));
    await eventually('the spot to be closed', async () => (await customer().spot('TABLE4')).status === 'closed');
    await e2e().recordHistory('paysera-cancelled', created.id);
  });

  it('timeout after the order → revoked and expired', async () => {
    const { pos } = e2e();
    const created = (await pos.create(order('TABLE5', { timeout_seconds: 5 }))).body;
    await customer().checkIn('TABLE5');
    const ordered = await pos.waitFor(created.id, (p) => p.provider_reference.transaction_key !== undefined);
    await pos.waitForState(created.id, 'expired');
    assert.equal((await customer().transaction(ordered.provider_reference.transaction_key!)).status, 'revoked');
  });

  it('manual mode holds the reservation; the POS captures a lower amount', async () => {
    const { pos } = e2e();
    const created = (await pos.create(order('TABLE6', { capture_mode: 'manual' }))).body;
    await customer().checkIn('TABLE6');
    await customer().act(created, 'reserve');
    await pos.waitForState(created.id, 'authorized');
    const captured = await pos.command(created.id, 'capture', { amount: 2000 });
    assert.equal(captured.status, 200, JSON.stringify(captured.body));
    assert.equal(captured.body.captured_amount, 2000);
    const transaction = await customer().transaction(captured.body.provider_reference.transaction_key);
    assert.equal(transaction.status, 'confirmed');
    assert.equal(transaction.payments[0]?.price, 2000);
    await e2e().recordHistory('paysera-manual-lower-capture', created.id);
  });

  it('refunds: a partial refund is refused with 422; the full refund cancels the payment', async () => {
    const { pos } = e2e();
    const created = (await pos.create(order('TABLE7'))).body;
    await customer().checkIn('TABLE7');
    await customer().act(created, 'reserve');
    await pos.waitForState(created.id, 'captured');
    const partial = await pos.command(created.id, 'refunds', { amount: 1000 });
    assert.equal(partial.status, 422);
    assert.equal(partial.body.code, 'partial_refund_unsupported');
    const full = await pos.command(created.id, 'refunds', { amount: 2350, refund_id: 'all' });
    assert.equal(full.status, 201, JSON.stringify(full.body));
    assert.equal(full.body.payment.state, 'refunded');
    await e2e().recordHistory('paysera-refunded', created.id);
  });

  it('a lost answer on order create → exactly one order at Paysera', async () => {
    const { pos } = e2e();
    const created = (await pos.create(order('TABLE8'))).body;
    const lost = await customer().fault({ method: 'POST', path_pattern: '^/rest/v1/spot/\\d+/order$', fault: 'commit_then_drop' });
    await customer().checkIn('TABLE8');
    const ordered = await pos.waitFor(created.id, (p) => p.provider_reference.transaction_key !== undefined);
    // The answer of this payment's order create really was lost, and the retry found the order.
    const [struck] = await customer().control.assertFired(lost);
    assert.equal(struck?.path, `/rest/v1/spot/${ordered.provider_reference.spot_id}/order`);
    assert.equal((await customer().orders(ordered)).length, 1);
    await pos.command(created.id, 'cancel', {});
  });

  it('a spot with an identifier the merchant never printed is closed by the watcher; the spots view shows waiting tables', async () => {
    const { pos, stack } = e2e();
    const client = new PayseraClient({ baseUrl: stack.env.PAYSERA_BASE_URL!, clientId: stack.env.PAYSERA_CLIENT_ID!, macKey: stack.env.PAYSERA_MAC_KEY!, requestTimeoutMs: 2000 });
    const forged = await client.spotByCode(code('FORGED1'));
    await customer().checkInAt(forged.id);
    await eventually('the watcher to close the forged spot', async () => (await client.spot(forged.id)).status === 'closed', 15_000);
    await customer().checkIn('TABLE9');
    const view = await call<{ data: { identifier: string; known: boolean }[] }>('GET', `${stack.ingressUrl}/v1/paysera/spots?status=waiting`, { headers: { authorization: `Bearer ${pos.apiKey}` } });
    assert.equal(view.status, 200);
    assert.ok(view.body.data.some((spot) => spot.identifier.toUpperCase() === 'TABLE9' && spot.known));
    await e2e().recordHistory('paysera-housekeeping', 'housekeeping:paysera');
  });

  it('a callback whose signature does not verify → 401, and the payment does not move', async () => {
    const { pos, stack } = e2e();
    const created = (await pos.create(order('TABLE10'))).body;
    const event = JSON.stringify({ type: 'reserved', object: 'transaction', data: { transaction_key: 'x', status: 'reserved' } });
    // Signed as paysera.md §6 says (RSA-SHA256, PKCS#1 v1.5, base64), by node:crypto directly rather
    // than by our adapter, with a key that is not Paysera's.
    const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    const forged = new URLSearchParams({ event, sign: sign('sha256', Buffer.from(event), stranger).toString('base64') }).toString();
    const answer = await call('POST', `${stack.ingressUrl}/v1/webhooks/paysera?payment=${created.id}`, { raw: forged, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    assert.equal(answer.status, 401);
    // Had the forged event reached the payment anyway, it would have acted on it before its next
    // polls: hold the check until two reads of this payment's spot have reached Paysera.
    const since = await customer().control.mark();
    await customer().control.seen('reads of this payment’s spot', since, (r) => r.method === 'GET' && r.path === `/rest/v1/spot/${created.provider_reference.spot_id}`, 2);
    assert.equal((await pos.get(created.id)).body.version, created.version);
    await pos.command(created.id, 'cancel', {});
  });
});
