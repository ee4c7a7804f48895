/**
 * Tabby end to end, including the four testing scenarios of the Tabby POS page (seeds/tabby-pos.md):
 * success with capture; unavailable / 4xx / 5xx / incomplete answer; cancellation; rejection.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { call, eventually } from '../support/http';
import { useStack } from '../support/e2e-stack';
import { newTid } from '../support/pos';
import { fetchImage, readQrPng } from '../support/qr-reader';

const e2e = useStack();
const CREATE = { method: 'POST', path_pattern: '^/api/v2/checkout$' };
const tabby = (extra: Record<string, unknown> = {}) => ({ provider: 'tabby', pos_id: 'kiosk-7', pos_tid: newTid(), amount: 15000, currency: 'AED', ...extra });

describe('Tabby payments', () => {
  afterEach(() => e2e().tabby.clearFaults());

  it('scenario 1 — success: QR from web_url, customer pays, Tabby auto-captures → captured', async () => {
    const { pos, tabby: customer } = e2e();
    const created = await pos.create(tabby({ provider_options: { latitude: '24.4763', longitude: '54.3209' } }));
    assert.equal(created.status, 201);
    const payment = created.body;
    assert.equal(payment.state, 'awaiting_customer');
    assert.match(payment.qr?.content ?? '', /\/checkout\//);
    assert.match(payment.provider_reference.qr_image_url ?? '', /hpp_link_qr/);
    const image = await fetchImage(payment.provider_reference.qr_image_url!);
    assert.equal(image.contentType, 'image/png');
    // Read back, the image is the checkout link the QR content shows.
    assert.equal(readQrPng(image.bytes).text, payment.qr?.content);

    await customer.act(payment, 'approve');
    const captured = await pos.waitForState(payment.id, 'captured');
    assert.equal(captured.captured_amount, 15000);
    const atTabby = await customer.paymentOf(payment);
    assert.equal(atTabby.payment.status, 'CLOSED');
    assert.equal(atTabby.payment.amount, '150.00');
    assert.equal(atTabby.payment.captures.length, 1);
    await e2e().recordHistory('tabby-auto-captured', payment.id);
  });

  it('success when the payment stays AUTHORIZED: we capture with our reference_id', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby())).body;
    await customer.act(payment, 'approve', { auto_capture: false });
    const captured = await pos.waitForState(payment.id, 'captured');
    assert.equal(captured.captured_amount, 15000);
    const atTabby = await customer.paymentOf(payment);
    assert.equal(atTabby.payment.status, 'CLOSED');
    assert.deepEqual(atTabby.payment.captures.map((c) => c.reference_id), [`${payment.id}.capture`]);
    await e2e().recordHistory('tabby-captured-by-us', payment.id);
  });

  for (const [label, fault] of [['503', 'status_503'], ['400', 'status_400'], ['no answer', 'drop']] as const) {
    it(`scenario 2 — Tabby ${label} on session create → failed, no QR, no payment left at Tabby`, async () => {
      const { pos, tabby: customer } = e2e();
      await customer.fault({ ...CREATE, fault });
      const created = await pos.create(tabby());
      assert.equal(created.status, 201);
      assert.equal(created.body.state, 'failed');
      assert.equal(created.body.qr, null);
      assert.ok(created.body.failure?.code);
      assert.deepEqual(await customer.payments(created.body.id), []);
    });
  }

  it('scenario 2 — Tabby answers after our request timeout → failed without a QR; the unseen session is never retried', async () => {
    const { pos, tabby: customer } = e2e();
    const since = await customer.control.mark();
    const slow = await customer.fault({ ...CREATE, fault: 'delay', delay_ms: 3000 });
    const created = (await pos.create(tabby())).body;
    assert.equal(created.state, 'failed');
    assert.equal(created.qr, null);
    assert.equal(created.failure?.code, 'provider_unavailable');
    // Session create has no idempotency key: exactly one attempt reached Tabby, the slow one, and no
    // other create followed it (the request log counts attempts, whatever became of the late one).
    await customer.control.assertFired(slow);
    const creates = (await customer.control.requests(since)).filter((r) => r.method === 'POST' && /^\/api\/v2\/checkout$/.test(r.path));
    assert.deepEqual(creates.map((r) => r.fault), [slow]);
  });

  it('scenario 2 — incomplete answer (no qr_code, no web_url) → failed, and the session is cancelled at Tabby', async () => {
    const { pos, tabby: customer } = e2e();
    await customer.fault({ ...CREATE, fault: 'incomplete_session' });
    const created = (await pos.create(tabby())).body;
    assert.equal(created.state, 'failed');
    assert.equal(created.qr, null);
    assert.equal(created.failure?.code, 'provider_incomplete_answer');
    const [orphan] = await customer.payments(created.id);
    assert.equal(orphan?.payment.status, 'EXPIRED');
    await e2e().recordHistory('tabby-incomplete-answer', created.id);
  });

  it('scenario 3 — cancellation from the POS → cancelled, EXPIRED at Tabby', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby())).body;
    const cancelled = await pos.command(payment.id, 'cancel', { reason: 'customer changed their mind' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.state, 'cancelled');
    const atTabby = await customer.paymentOf(payment);
    assert.equal(atTabby.payment.status, 'EXPIRED');
    assert.deepEqual(atTabby.actions.filter((a) => a.action === 'cancel').map((a) => a.status), [200]);
    await e2e().recordHistory('tabby-pos-cancel', payment.id);
  });

  it('scenario 3 — the customer presses the cross on the checkout page → expired', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby())).body;
    await customer.act(payment, 'cancel');
    const expired = await pos.waitForState(payment.id, 'expired');
    assert.equal(expired.qr, null);
  });

  it('scenario 4 — the customer is rejected at checkout → rejected', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby())).body;
    await customer.act(payment, 'reject');
    const rejected = await pos.waitForState(payment.id, 'rejected');
    assert.equal(rejected.captured_amount, 0);
    await e2e().recordHistory('tabby-rejected', payment.id);
  });

  it('eligibility: a session Tabby rejects → rejected at once, no QR', async () => {
    const { pos, tabby: customer } = e2e();
    await customer.rejectNextSessions(1);
    const created = await pos.create(tabby());
    assert.equal(created.status, 201);
    assert.equal(created.body.state, 'rejected');
    assert.equal(created.body.qr, null);
    assert.equal(created.body.failure?.code, 'tabby_ineligible');
    const tooHigh = (await pos.create(tabby({ amount: 9_000_000 }))).body;
    assert.equal(tooHigh.state, 'rejected');
    assert.match(tooHigh.failure?.message ?? '', /order_amount_too_high/);
    await e2e().recordHistory('tabby-ineligible', created.body.id);
  });

  it('a cancel that loses the race to the customer’s approval ends captured, never cancelled', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby())).body;
    // The customer completes the payment at the very moment our session cancel reaches Tabby.
    const hook = await customer.approveOnArrival(payment, { method: 'POST', path_pattern: '^/api/v2/checkout/[^/]+/cancel$' });
    const answer = await pos.command(payment.id, 'cancel', {});
    assert.equal((await customer.control.assertHookFired(hook)).path, `/api/v2/checkout/${payment.provider_reference.session_id}/cancel`);
    assert.equal(answer.status, 409);
    assert.equal(answer.body.code, 'invalid_state');
    assert.equal(answer.body.payment.state, 'captured');
    const final = (await pos.get(payment.id)).body;
    assert.equal(final.state, 'captured');
    assert.equal((await customer.paymentOf(payment)).payment.status, 'CLOSED');
    await e2e().recordHistory('tabby-cancel-lost-race', payment.id);
  });

  it('timeout → the session cancel is sent at the configured time → expired', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby({ timeout_seconds: 3 }))).body;
    const expired = await pos.waitForState(payment.id, 'expired');
    const cancels = (await customer.paymentOf(payment)).actions.filter((a) => a.action === 'cancel');
    assert.deepEqual(cancels.map((a) => a.status), [200], 'one session cancel reached Tabby');
    // One clock only, the workflow's: the timer cannot fire before timeout_seconds have passed since
    // the payment was created. (How soon after is the workflow tests' business, on their own clock.)
    const expiredAt = expired.timeline.find((entry) => entry.state === 'expired')!.at;
    assert.ok(Date.parse(expiredAt) - Date.parse(expired.created_at) >= 3000, `expired at ${expiredAt}, created at ${expired.created_at}`);
    assert.equal(expired.timeline.at(-1)?.detail, 'the customer did not complete in time');
    await e2e().recordHistory('tabby-timeout', payment.id);
  });

  it('timeout_seconds below the configured minimum and currencies Tabby does not take → 422', async () => {
    const { pos } = e2e();
    const short = await pos.create(tabby({ timeout_seconds: 2 }));
    assert.equal(short.status, 422);
    assert.deepEqual(short.body.errors?.map((e) => e.field), ['timeout_seconds']);
    const euro = await pos.create(tabby({ currency: 'EUR' }));
    assert.deepEqual(euro.body.errors?.map((e) => e.field), ['currency']);
  });
});

describe('Tabby manual capture and refunds', () => {
  it('manual mode holds the authorization; a partial capture closes the rest', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby({ capture_mode: 'manual', amount: 20000 }))).body;
    await customer.act(payment, 'approve', { auto_capture: false });
    await pos.waitForState(payment.id, 'authorized');
    const captured = await pos.command(payment.id, 'capture', { amount: 12000 });
    assert.equal(captured.status, 200);
    assert.equal(captured.body.state, 'captured');
    assert.equal(captured.body.captured_amount, 12000);
    const atTabby = await customer.paymentOf(payment);
    assert.equal(atTabby.payment.status, 'CLOSED');
    assert.deepEqual(atTabby.payment.captures.map((c) => c.amount), ['120.00']);
    await e2e().recordHistory('tabby-manual-partial-capture', payment.id);
  });

  it('manual mode cancel closes (releases) the authorization', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby({ capture_mode: 'manual' }))).body;
    await customer.act(payment, 'approve', { auto_capture: false });
    await pos.waitForState(payment.id, 'authorized');
    const cancelled = await pos.command(payment.id, 'cancel', {});
    assert.equal(cancelled.body.state, 'cancelled');
    const atTabby = await customer.paymentOf(payment);
    assert.equal(atTabby.payment.status, 'CLOSED');
    assert.equal(atTabby.payment.captures.length, 0);
  });

  it('refunds: partial, the rest, then above what is left → 422; KWD with 3 decimals', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby({ currency: 'KWD', amount: 12345 }))).body;
    await customer.act(payment, 'approve');
    await pos.waitForState(payment.id, 'captured');
    assert.equal((await customer.paymentOf(payment)).payment.amount, '12.345');

    const partial = await pos.command(payment.id, 'refunds', { amount: 2345, refund_id: 'kw-1' });
    assert.equal(partial.status, 201);
    assert.equal(partial.body.payment.state, 'partially_refunded');
    assert.equal((await pos.command(payment.id, 'refunds', { amount: 10001 })).status, 422);
    const rest = await pos.command(payment.id, 'refunds', { amount: 10000, refund_id: 'kw-2' });
    assert.equal(rest.body.payment.state, 'refunded');
    const atTabby = await customer.paymentOf(payment);
    assert.deepEqual(atTabby.payment.refunds.map((r) => [r.amount, r.reference_id]), [['2.345', 'kw-1'], ['10.000', 'kw-2']]);
    await e2e().recordHistory('tabby-refunds-kwd', payment.id);
  });
});

describe('Tabby webhooks', () => {
  it('duplicated and reordered webhooks → exactly one capture', async () => {
    const { pos, tabby: customer } = e2e();
    const payment = (await pos.create(tabby())).body;
    await customer.webhooks('duplicate', 6);
    await customer.webhooks('reorder', 2);
    await customer.act(payment, 'approve', { auto_capture: false });
    await pos.waitForState(payment.id, 'captured');
    const atTabby = await customer.paymentOf(payment);
    assert.equal(atTabby.payment.captures.length, 1);
    assert.deepEqual(atTabby.actions.filter((a) => a.action === 'capture').map((a) => a.status), [200]);
    // The misbehaviour really reached us for this payment: duplicated copies and reordered ones,
    // all answered, and the injected faults used up.
    const log = await eventually('the duplicated and reordered webhooks of this payment to be answered', async () => {
      const entries = (await customer.webhookLog()).filter((entry) => entry.payment_id === atTabby.payment.id);
      return entries.some((entry) => entry.duplicate) && entries.some((entry) => entry.reordered) ? entries : undefined;
    });
    assert.ok(log.every((entry) => entry.status === 200), JSON.stringify(log));
    await e2e().recordHistory('tabby-duplicate-webhooks', payment.id);
  });

  it('a webhook without the registered header, or with a wrong one → 401, nothing changes', async () => {
    const { pos, stack, tabby: customer } = e2e();
    const payment = (await pos.create(tabby())).body;
    const body = { id: payment.provider_reference.payment_id, status: 'authorized', order: { reference_id: payment.id } };
    const header = stack.env.TABBY_WEBHOOK_HEADER!;
    assert.equal((await call('POST', `${stack.ingressUrl}/v1/webhooks/tabby`, { body })).status, 401);
    assert.equal((await call('POST', `${stack.ingressUrl}/v1/webhooks/tabby`, { body, headers: { [header]: 'not-the-secret-value' } })).status, 401);
    // Had a refused webhook reached the payment anyway, the workflow would have acted on it before
    // its next polls: hold the check until two status reads of this payment have reached Tabby.
    const since = await customer.control.mark();
    await customer.control.seen('status reads of this payment', since, (r) => r.method === 'GET' && [payment.provider_reference.payment_id, payment.provider_reference.session_id].some((id) => id !== undefined && r.path.includes(id)), 2);
    assert.equal((await pos.get(payment.id)).body.version, payment.version);
    const genuine = await call('POST', `${stack.ingressUrl}/v1/webhooks/tabby`, { body, headers: { [header]: stack.env.TABBY_WEBHOOK_SECRET! } });
    assert.equal(genuine.status, 200);
    // A genuine webhook is only a wake-up: Tabby still says CREATED, so the payment still waits.
    assert.equal((await pos.get(payment.id)).body.state, 'awaiting_customer');
  });
});
