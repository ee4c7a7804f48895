/**
 * Manual capture with Settle over the wire: authorize, capture (partial), release, and reauth before
 * the hold lapses. Which captures are refused, and when, is the workflow tests' (test/workflow/manual-capture.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { eventually } from '../support/http';
import { newTid } from '../support/pos';
import { payWithSettle } from '../support/settle-customer';

// Authorizations last 6 s at this sandbox; the service renews them 3 s before they lapse.
const e2e = useStack({ env: { SETTLE_SANDBOX_AUTH_VALIDITY_SECONDS: '6', SETTLE_REAUTH_BEFORE_SECONDS: '3' } });
const manual = (amount = 5000) => ({ provider: 'settle', pos_id: 'till-2', pos_tid: newTid(), amount, currency: 'NOK', capture_mode: 'manual' });

describe('Settle manual capture', () => {
  it('holds the authorization, then captures part of it', async () => {
    const { pos, settle } = e2e();
    const created = (await pos.create(manual())).body;
    const authorized = await payWithSettle(pos, settle, created, 'authorized');
    assert.equal(authorized.authorized_amount, 5000);
    assert.equal(authorized.captured_amount, 0);

    const tooMuch = await pos.command(created.id, 'capture', { amount: 6000 });
    assert.equal(tooMuch.status, 422);
    assert.equal(tooMuch.body.code, 'validation_failed');

    const captured = await pos.command(created.id, 'capture', { amount: 3500 });
    assert.equal(captured.status, 200);
    assert.equal(captured.body.state, 'captured');
    assert.equal(captured.body.captured_amount, 3500);
    const atSettle = await settle.request(authorized.provider_reference.tid!);
    assert.deepEqual(atSettle.outcome.captures.map((c) => c.amount), [3500]);

    // A repeated capture is answered from the payment, not captured twice.
    const again = await pos.command(created.id, 'capture', { amount: 3500 });
    assert.equal(again.status, 200);
    assert.equal((await settle.request(authorized.provider_reference.tid!)).outcome.captures.length, 1);
    await e2e().recordHistory('settle-manual-partial-capture', created.id);
  });

  it('cancel while authorized releases the hold at Settle', async () => {
    const { pos, settle } = e2e();
    const created = (await pos.create(manual())).body;
    const authorized = await payWithSettle(pos, settle, created, 'authorized');
    const cancelled = await pos.command(created.id, 'cancel', { reason: 'order voided' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.state, 'cancelled');
    const atSettle = await settle.request(authorized.provider_reference.tid!);
    assert.equal(atSettle.outcome.status_code, 4019);
    assert.deepEqual(atSettle.actions.filter((a) => a.action === 'release').map((a) => a.result), [204]);
    await e2e().recordHistory('settle-manual-release', created.id);
  });

  it('renews the authorization before it lapses, and it stays capturable', async () => {
    const { pos, settle } = e2e();
    const created = (await pos.create(manual())).body;
    const authorized = await payWithSettle(pos, settle, created, 'authorized');
    const tid = authorized.provider_reference.tid!;
    const firstExpiry = (await settle.request(tid)).outcome.date_expires;
    // Two renewals means the hold outlived two 6 s validity windows without lapsing.
    await eventually('two reauths at Settle', async () =>
      (await settle.request(tid)).actions.filter((a) => a.action === 'reauth' && a.result === 204).length >= 2, 20_000);
    const renewed = await settle.request(tid);
    assert.equal(renewed.outcome.status_code, 3008);
    assert.notEqual(renewed.outcome.date_expires, firstExpiry);
    const captured = await pos.command(created.id, 'capture', {});
    assert.equal(captured.body.state, 'captured');
    assert.equal(captured.body.captured_amount, 5000);
    await e2e().recordHistory('settle-manual-reauth', created.id);
  });
});
