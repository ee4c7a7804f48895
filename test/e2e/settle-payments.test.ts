/** Settle payments end to end: HTTP → ingress → Temporal → worker → Settle sandbox and back. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { eventually } from '../support/http';
import { newTid } from '../support/pos';
import { scanPayment } from '../support/settle-customer';

const e2e = useStack();
const payment = (posTid: string, extra: Record<string, unknown> = {}) => ({
  provider: 'settle', pos_id: 'till-1', pos_tid: posTid, amount: 2000, currency: 'EUR', ...extra,
});

describe('Settle payments', () => {
  it('auto capture: scan, approve → captured, with the QR in the create answer', async () => {
    const { pos, settle } = e2e();
    const tid = newTid();
    const created = await pos.create(payment(tid, { description: 'Flat white' }));
    assert.equal(created.status, 201);
    assert.equal(created.body.state, 'awaiting_customer');
    assert.equal(created.body.qr?.content, `http://settle.eu/s/${settle.shortlinkId}/${created.body.id}`);
    assert.equal(created.headers['x-request-id'] !== undefined, true);

    await settle.scan(created.body.qr?.content ?? '');
    const scanned = await pos.waitFor(created.body.id, (p) => p.provider_reference.tid !== undefined);
    await settle.act(scanned.provider_reference.tid!, 'approve');
    const captured = await pos.waitForState(created.body.id, 'captured');

    assert.equal(captured.captured_amount, 2000);
    assert.equal(captured.authorized_amount, 2000);
    assert.deepEqual(captured.timeline.map((entry) => entry.state), ['pending', 'awaiting_customer', 'authorized', 'captured']);
    const atSettle = await settle.request(captured.provider_reference.tid!);
    assert.equal(atSettle.outcome.status_code, 2000);
    assert.equal(atSettle.request.customer.startsWith('token:'), true);
    assert.equal(atSettle.actions.filter((a) => a.action === 'capture').length, 1);
    await e2e().recordHistory('settle-auto-capture', created.body.id);
  });

  it('customer rejects → rejected, nothing captured', async () => {
    const { pos, settle } = e2e();
    const created = (await pos.create(payment(newTid()))).body;
    await settle.scan(created.qr!.content);
    const scanned = await pos.waitFor(created.id, (p) => p.provider_reference.tid !== undefined);
    await settle.act(scanned.provider_reference.tid!, 'reject');
    const rejected = await pos.waitForState(created.id, 'rejected');
    assert.equal(rejected.captured_amount, 0);
    assert.equal(rejected.qr, null);
    assert.equal(rejected.failure?.code, 'settle_5006');
    await e2e().recordHistory('settle-rejected', created.id);
  });

  it('POS cancel before the scan → cancelled without a Settle request', async () => {
    const { pos, settle } = e2e();
    const tid = newTid();
    const created = (await pos.create(payment(tid))).body;
    const cancelled = await pos.command(created.id, 'cancel', { reason: 'customer paid cash' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.state, 'cancelled');
    assert.deepEqual(await settle.requests('till-1', `m-a.${tid}`), []);
    // Idempotent: cancelling again answers the same cancelled payment.
    const again = await pos.command(created.id, 'cancel', {});
    assert.equal(again.status, 200);
    assert.equal(again.body.state, 'cancelled');
    await e2e().recordHistory('settle-cancel-before-scan', created.id);
  });

  it('POS cancel after the scan → request aborted at Settle (4019)', async () => {
    const { pos, settle } = e2e();
    const created = (await pos.create(payment(newTid()))).body;
    await settle.scan(created.qr!.content);
    const scanned = await pos.waitFor(created.id, (p) => p.provider_reference.tid !== undefined);
    const cancelled = await pos.command(created.id, 'cancel', {});
    assert.equal(cancelled.body.state, 'cancelled');
    const atSettle = await settle.request(scanned.provider_reference.tid!);
    assert.equal(atSettle.outcome.status_code, 4019);
    assert.deepEqual(atSettle.actions.filter((a) => a.action === 'abort').map((a) => a.result), [204]);
    await e2e().recordHistory('settle-cancel-after-scan', created.id);
  });

  it('operator cancel (the `cancel` signal, as the Web UI and CLI send it) ends the payment like the POS cancel', async () => {
    const { pos, settle, stack } = e2e();
    const created = (await pos.create(payment(newTid()))).body;
    const tid = await scanPayment(pos, settle, created);
    await stack.client.workflow.getHandle(created.id).signal('cancel', { reason: 'operator: till offline' });
    const cancelled = await pos.waitForState(created.id, 'cancelled');
    assert.equal(cancelled.timeline.at(-1)?.detail, 'operator: till offline');
    assert.equal((await settle.request(tid)).outcome.status_code, 4019);
    await e2e().recordHistory('settle-operator-cancel', created.id);
  });

  it('no scan before the timeout → expired', async () => {
    const { pos, settle } = e2e();
    const tid = newTid();
    const created = (await pos.create(payment(tid, { timeout_seconds: 5 }))).body;
    const expired = await pos.waitForState(created.id, 'expired');
    assert.equal(expired.qr, null);
    assert.deepEqual(await settle.requests('till-1', `m-a.${tid}`), []);
    await e2e().recordHistory('settle-expired-no-scan', created.id);
  });

  it('scanned but never approved before the timeout → expired and the request aborted at Settle', async () => {
    const { pos, settle } = e2e();
    const created = (await pos.create(payment(newTid(), { timeout_seconds: 5 }))).body;
    await settle.scan(created.qr!.content);
    const scanned = await pos.waitFor(created.id, (p) => p.provider_reference.tid !== undefined);
    await pos.waitForState(created.id, 'expired');
    assert.equal((await settle.request(scanned.provider_reference.tid!)).outcome.status_code, 4019);
    await e2e().recordHistory('settle-expired-after-scan', created.id);
  });

  it('till sticker (provider_options.shortlink_id): request up front, polling alone finds the approval; timeout aborts', async () => {
    const { pos, settle } = e2e();
    const paid = (await pos.create(payment(newTid(), { provider_options: { shortlink_id: settle.shortlinkId } }))).body;
    assert.equal(paid.qr?.content, `http://settle.eu/s/${settle.shortlinkId}/`);
    assert.ok(paid.provider_reference.tid);
    await settle.scan(paid.qr?.content ?? '');
    await settle.act(paid.provider_reference.tid, 'approve');
    assert.equal((await pos.waitForState(paid.id, 'captured')).captured_amount, 2000);

    const unpaid = (await pos.create(payment(newTid(), { timeout_seconds: 5, provider_options: { shortlink_id: settle.shortlinkId } }))).body;
    await pos.waitForState(unpaid.id, 'expired');
    assert.equal((await settle.request(unpaid.provider_reference.tid!)).outcome.status_code, 4019);
    await e2e().recordHistory('settle-sticker-captured', paid.id);
    await e2e().recordHistory('settle-sticker-expired', unpaid.id);
  });

  it('waiting costs no history: a customer who takes seconds adds (almost) no events over one who pays at once', async () => {
    const { pos, settle, stack } = e2e();
    const eventsUntilCaptured = async (pollsBeforeApproval: number) => {
      const created = (await pos.create(payment(newTid()))).body;
      const tid = await scanPayment(pos, settle, created);
      // The customer hesitates until the service has polled Settle this often (200 ms apart here).
      await eventually(`${pollsBeforeApproval} polls`, async () => (await settle.request(tid)).outcome_reads >= pollsBeforeApproval, 30_000);
      await settle.act(tid, 'approve');
      await pos.waitForState(created.id, 'captured');
      const history = await stack.client.workflow.getHandle(created.id).fetchHistory();
      return history.events?.length ?? 0;
    };
    const quick = await eventsUntilCaptured(1);
    const slow = await eventsUntilCaptured(30);
    // A webhook wake-up may restart the poll once more or less; 30 polls as activities would add 90+ events.
    assert.ok(slow <= quick + 8, `quick payment: ${quick} events, slow payment: ${slow} events`);
  });
});
