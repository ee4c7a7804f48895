/**
 * The contract's provider side, through the public doors (shared/spec/pos-api.md): inbound webhooks
 * (unknown payments answered 200, SEQR's notificationUrl as a poll hint, a Paysera callback waking
 * its payment, a Settle signature over another URL refused), spots outside PAYSERA_SPOTS, Tabby's
 * latitude/longitude, and, on the wire of Settle and Paysera, a cancel that loses to the customer and
 * a late authorization released (Tabby's and SEQR's are in their own files; the timing of every
 * provider is test/workflow/customer-phase.test.ts and contract-timing.test.ts).
 *
 * Settle runs as an "external" server started here, so this file holds Settle's callback signing
 * key. Polls are slow (SEQR 30 s, Paysera 5 s) so that what wakes a payment early can only be its
 * webhook; the history then shows the wake and the nudge of the poll it caused.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { PayseraClient } from '../../activities/paysera/client';
import { useExternalSettleStack } from '../support/external-settle-stack';
import { call, counterTotal, eventually } from '../support/http';
import { PayseraCustomer } from '../support/paysera-customer';
import { newTid, Pos, type Payment } from '../support/pos';
import { SeqrCustomer } from '../support/seqr-customer';
import { scanPayment } from '../support/settle-customer';
import { TabbyCustomer } from '../support/tabby-customer';

const SEQR_POLL_MS = 30_000;

const external = useExternalSettleStack('contract', {
  // Long enough for the slow polls below: a poll heartbeats once per read.
  POLL_HEARTBEAT_TIMEOUT_SECONDS: '90',
  SEQR_POLL_INTERVAL_MS: String(SEQR_POLL_MS),
  SEQR_WINDOW_SECONDS: '120',
  PAYSERA_POLL_INTERVAL_MS: '5000',
  WORKER_METRICS_PORT: '0',
});
const running = () => external().stack;
const pos = () => new Pos(running().ingressUrl, 'key-a');
const settle = () => external().settle;
const tabby = () => new TabbyCustomer(running().sandboxUrl('tabby'));
const seqr = () => new SeqrCustomer(running().sandboxUrl('seqr'));
const paysera = () => new PayseraCustomer(running().sandboxUrl('paysera'));
const spotCode = (table: string) => `PAYSERA*${running().env.PAYSERA_LOCATION_ID}:${table}`;
const ghost = () => `pay:m-a:ghost-till:${newTid()}`;
const settleCallback = (body: string, signedUrl?: string) => external().settleCallback(body, { signedUrl });
const scanEvent = (argstring: string) =>
  JSON.stringify({ meta: { id: `cb-${newTid()}`, event: 'shortlink_scanned', uri: null, seqno: 0, labels: [], context: 'ctx:contract' }, object: { id: `token:${newTid()}`, argstring } });

/** The names of the updates the payment's workflow accepted, and how many polls were nudged. */
/**
 * How the webhooks of a waiting payment reached it: wakes accepted into its history, and nudges of
 * polls counted by the worker (the wake's validator nudges the running poll and writes no history).
 */
async function wakesIn(paymentId: string): Promise<{ wakes: number; nudges: number }> {
  const history = await running().client.workflow.getHandle(paymentId).fetchHistory();
  const wakes = (history.events ?? []).filter((event) => event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name === 'wake').length;
  return { wakes, nudges: await counterTotal(running().workerMetricsUrl!, 'pos_poll_nudges_total') };
}

async function faultsConsumed(sandboxUrl: string): Promise<void> {
  await eventually('the injected fault to be taken', async () => {
    const body = (await call<unknown[] | { items: unknown[] }>('GET', `${sandboxUrl}/_sandbox/faults`)).body;
    return (Array.isArray(body) ? body : body.items).length === 0;
  });
}

async function registerSeqrTill(till: string, seqrId: string): Promise<void> {
  const registered = await call('PUT', `${running().ingressUrl}/v1/terminals/${till}/seqr`, { body: { seqr_id: seqrId, name: till }, headers: { authorization: 'Bearer key-a' } });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
}

describe('webhooks', () => {
  it('a verified webhook for a payment we do not know → 200, for every provider', async () => {
    const { ingressUrl, env } = running();
    // Settle: a correctly signed scan of a QR that names no payment of ours.
    const settleAnswer = await settleCallback(scanEvent(ghost()));
    assert.equal(settleAnswer.status, 200, JSON.stringify(settleAnswer.body));
    // Tabby: the registered header, a payment notification for an order we never made.
    const tabbyAnswer = await call('POST', `${ingressUrl}/v1/webhooks/tabby`, {
      raw: JSON.stringify({ id: 'p-ghost', status: 'authorized', order: { reference_id: ghost() } }),
      headers: { 'content-type': 'application/json', [env.TABBY_WEBHOOK_HEADER!]: env.TABBY_WEBHOOK_SECRET! },
    });
    assert.equal(tabbyAnswer.status, 200, JSON.stringify(tabbyAnswer.body));
    // SEQR: a hint for an unknown payment.
    assert.equal((await call('POST', `${ingressUrl}/v1/webhooks/seqr?payment=${encodeURIComponent(ghost())}`, { raw: '' })).status, 200);
    // Paysera: an order whose callback names an unknown payment; Paysera signs the callback itself.
    const client = new PayseraClient({ baseUrl: env.PAYSERA_BASE_URL!, clientId: env.PAYSERA_CLIENT_ID!, macKey: env.PAYSERA_MAC_KEY!, requestTimeoutMs: 2000 });
    const spot = await client.spotByCode(spotCode('TABLE7'));
    await paysera().checkInAt(spot.id);
    const callbackUri = `${external().publicBaseUrl}/v1/webhooks/paysera?payment=${encodeURIComponent(ghost())}`;
    const order = await client.createOrder(spot.id, { transaction: { payments: [{ description: 'ghost', price: 100, currency: 'EUR' }], callback_uri: callbackUri, auto_confirm: false } });
    await call('POST', `${paysera().sandboxUrl}/_sandbox/transactions/${order.transaction_key}/reserve`, { body: {} });
    const delivered = await eventually('Paysera to deliver its callback', async () => {
      const log = (await call<{ url: string; status: number | null }[]>('GET', `${paysera().sandboxUrl}/_sandbox/callbacks`)).body;
      return log.find((attempt) => attempt.url === callbackUri && attempt.status !== null);
    });
    assert.equal(delivered.status, 200);
    await client.revokeTransaction(order.transaction_key).catch(() => undefined);
    await client.closeSpot(spot.id);
  });

  it('SEQR’s notificationUrl is a hint to poll now: paid → captured long before the next poll', async () => {
    await registerSeqrTill('till-hint', 'SQCH1');
    const created = (await pos().create({ provider: 'seqr', pos_id: 'till-hint', pos_tid: newTid(), amount: 1000, currency: 'SEK' })).body;
    assert.equal(created.state, 'awaiting_customer');
    const before = await wakesIn(created.id);
    const started = Date.now();
    await seqr().scanAndPay(created);
    // The poll reads every 30 s: only the hint can make the payment look before that.
    const captured = await pos().waitForState(created.id, 'captured', SEQR_POLL_MS - 5_000);
    assert.ok(Date.now() - started < SEQR_POLL_MS, 'captured by the poll, not the hint');
    assert.equal(captured.captured_amount, 1000);
    const notified = (await call<{ url: string; status: number | null }[]>('GET', `${seqr().sandboxUrl}/_sandbox/notifications`)).body;
    assert.ok(notified.some((attempt) => attempt.url.includes(encodeURIComponent(created.id)) && attempt.status === 200), JSON.stringify(notified));
    // The poll was running: the hint nudged it from the wake's validator, and left no history.
    const { wakes, nudges } = await wakesIn(created.id);
    assert.equal(wakes, before.wakes, 'no wake accepted');
    assert.ok(nudges > before.nudges, `nudges ${before.nudges} → ${nudges}`);
  });

  it('a valid Paysera callback wakes its payment: reserved → confirmed before the next poll', async () => {
    const created = (await pos().create({ provider: 'paysera', pos_id: 'waiter-c', pos_tid: newTid(), amount: 2350, currency: 'EUR', provider_options: { spot_code: spotCode('TABLE8') } })).body;
    await paysera().checkIn('TABLE8');
    // The check-in is found by the (5 s) poll; the order follows.
    const ordered = await pos().waitFor(created.id, (p) => p.provider_reference.transaction_key !== undefined);
    const before = await wakesIn(created.id);
    await paysera().act(ordered, 'reserve');
    const captured = await pos().waitForState(created.id, 'captured');
    assert.equal(captured.captured_amount, 2350);
    const callbacks = (await call<{ url: string; status: number | null; event: string }[]>('GET', `${paysera().sandboxUrl}/_sandbox/callbacks`)).body;
    assert.ok(callbacks.some((attempt) => attempt.url.includes(encodeURIComponent(created.id)) && attempt.event === 'reserved' && attempt.status === 200), JSON.stringify(callbacks));
    const afterwards = await wakesIn(created.id);
    assert.equal(afterwards.wakes, before.wakes, 'the running poll was nudged instead: no wake accepted');
    assert.ok(afterwards.nudges > before.nudges, 'the callback did not nudge the poll');
  });

  it('a correctly signed Settle callback over another URL → 401, and the payment does not move', async () => {
    const created = (await pos().create({ provider: 'settle', pos_id: 'till-cs', pos_tid: newTid(), amount: 1500, currency: 'EUR' })).body;
    const body = scanEvent(created.id);
    for (const url of [`https://elsewhere.example/v1/webhooks/settle`, `${external().publicBaseUrl}/v1/webhooks/settle?other=1`, `${external().publicBaseUrl}/v1/webhooks/tabby`]) {
      const answer = await settleCallback(body, url);
      assert.equal(answer.status, 401, `${url}: ${JSON.stringify(answer.body)}`);
      assert.equal((answer.body as { code: string }).code, 'unauthorized');
    }
    const unmoved = (await pos().get(created.id)).body;
    assert.equal(unmoved.version, created.version);
    assert.equal(unmoved.provider_reference.tid, undefined);
    // The same body signed over our URL goes through.
    assert.equal((await settleCallback(body)).status, 200);
    await pos().command(created.id, 'cancel', {});
  });
});

describe('provider options', () => {
  afterEach(() => tabby().clearFaults());

  it('a Paysera spot outside PAYSERA_SPOTS is refused: the payment fails, no order is put on it', async () => {
    const { env } = running();
    assert.ok(env.PAYSERA_SPOTS && !env.PAYSERA_SPOTS.split(',').includes('FORGED7'));
    const answer = await pos().create({ provider: 'paysera', pos_id: 'waiter-c', pos_tid: newTid(), amount: 1000, currency: 'EUR', provider_options: { spot_code: spotCode('FORGED7') } });
    assert.ok(answer.status === 201 || answer.status === 422, JSON.stringify(answer.body));
    if (answer.status === 201) {
      assert.equal(answer.body.state, 'failed');
      assert.equal(answer.body.qr, null);
      assert.equal(answer.body.failure?.code, 'unknown_spot');
    } else {
      assert.equal(answer.body.code, 'validation_failed');
    }
    const client = new PayseraClient({ baseUrl: env.PAYSERA_BASE_URL!, clientId: env.PAYSERA_CLIENT_ID!, macKey: env.PAYSERA_MAC_KEY!, requestTimeoutMs: 2000 });
    assert.deepEqual((await client.spotByCode(spotCode('FORGED7'))).orders, []);
  });

  for (const [form, latitude, longitude] of [['decimal strings', '24.4763', '54.3209'], ['JSON numbers', 24.4763, 54.3209]] as const) {
    it(`Tabby: latitude and longitude (${form}) reach Tabby with the session`, () => tabbyLocation(latitude, longitude));
  }
});

async function tabbyLocation(latitude: string | number, longitude: string | number): Promise<void> {
  const created = await pos().create({ provider: 'tabby', pos_id: 'till-geo', pos_tid: newTid(), amount: 15000, currency: 'AED', timeout_seconds: 300, provider_options: { latitude, longitude } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const atTabby = await tabby().paymentOf(created.body) as unknown as { payment: { attachment?: { body: string; content_type: string } | null } };
  const attachment = atTabby.payment.attachment;
  assert.ok(attachment, JSON.stringify(atTabby));
  const location = JSON.parse(attachment.body) as { latitude: number; longitude: number; timestamp: string };
  assert.equal(location.latitude, 24.4763);
  assert.equal(location.longitude, 54.3209);
  assert.ok(!Number.isNaN(Date.parse(location.timestamp)));
  await pos().command(created.body.id, 'cancel', {});
}

describe('cancel racing the customer, on the wire', () => {
  afterEach(async () => {
    await settle().clearFaults();
    await call('DELETE', `${paysera().sandboxUrl}/_sandbox/faults`);
  });

  it('Settle: the cancel arrives while the customer’s approval is being captured → 409 with the captured payment', async () => {
    const created = (await pos().create({ provider: 'settle', pos_id: 'till-cr', pos_tid: newTid(), amount: 1500, currency: 'EUR' })).body;
    const tid = await scanPayment(pos(), settle(), created);
    // Our capture reaches Settle and is held there while the POS cancels.
    await settle().fault({ method: 'PUT', path_pattern: '^/merchant/v1/payment_request/[^/]+/$', fault: 'delay', delay_ms: 2000, times: 1 });
    await settle().act(tid, 'approve');
    await faultsConsumed(settle().sandboxUrl);
    const answer = await pos().command(created.id, 'cancel', {});
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'invalid_state');
    assert.equal(answer.body.payment.state, 'captured');
    const atSettle = await settle().request(tid);
    assert.equal(atSettle.outcome.status_code, 2000);
    assert.deepEqual(atSettle.outcome.captures.map((capture) => capture.amount), [1500]);
    assert.ok(!atSettle.actions.some((action) => action.action === 'release' || (action.action === 'abort' && action.result < 300)), JSON.stringify(atSettle.actions));
  });

  it('Settle: the customer approves while our abort is on its way → Settle 409, the late authorization released, cancelled', async () => {
    const created = (await pos().create({ provider: 'settle', pos_id: 'till-cr', pos_tid: newTid(), amount: 1500, currency: 'EUR' })).body;
    const tid = await scanPayment(pos(), settle(), created);
    await settle().fault({ method: 'PUT', path_pattern: '^/merchant/v1/payment_request/[^/]+/$', fault: 'delay', delay_ms: 2000, times: 1 });
    const cancelling = pos().command(created.id, 'cancel', {});
    await faultsConsumed(settle().sandboxUrl);
    await settle().act(tid, 'approve');
    const answer = await cancelling;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.state, 'cancelled');
    assert.equal(answer.body.captured_amount, 0);
    const atSettle = await settle().request(tid);
    assert.deepEqual(atSettle.outcome.captures, []);
    assert.equal(atSettle.outcome.auth_amount, 0);
    const actions = atSettle.actions.map((action) => `${action.action}:${action.result}`);
    assert.ok(actions.some((action) => /^abort:409$/.test(action)) && actions.some((action) => /^release:2\d\d$/.test(action)), JSON.stringify(atSettle.actions));
  });

  it('Paysera: the cancel arrives while the reservation is being confirmed → 409 with the captured payment', async () => {
    const created = (await pos().create({ provider: 'paysera', pos_id: 'waiter-c', pos_tid: newTid(), amount: 1800, currency: 'EUR', provider_options: { spot_code: spotCode('TABLE5') } })).body;
    await paysera().checkIn('TABLE5');
    const ordered = await pos().waitFor(created.id, (p) => p.provider_reference.transaction_key !== undefined);
    await paysera().fault({ method: 'PUT', path_pattern: '/confirm$', fault: 'delay', delay_ms: 2000 });
    await paysera().act(ordered, 'reserve');
    await faultsConsumed(paysera().sandboxUrl);
    const answer = await pos().command(created.id, 'cancel', {});
    assert.equal(answer.status, 409, JSON.stringify(answer.body));
    assert.equal(answer.body.code, 'invalid_state');
    assert.equal(answer.body.payment.state, 'captured');
    assert.equal((await paysera().transaction(ordered.provider_reference.transaction_key!)).status, 'confirmed');
  });

  it('Paysera: the customer reserves while our revoke is on its way → the reservation is revoked, cancelled', async () => {
    const created = (await pos().create({ provider: 'paysera', pos_id: 'waiter-c', pos_tid: newTid(), amount: 1800, currency: 'EUR', provider_options: { spot_code: spotCode('TABLE6') } })).body;
    await paysera().checkIn('TABLE6');
    const ordered: Payment = await pos().waitFor(created.id, (p) => p.provider_reference.transaction_key !== undefined);
    await paysera().fault({ method: 'DELETE', path_pattern: '/transaction/[^/]+$', fault: 'delay', delay_ms: 2000 });
    const cancelling = pos().command(created.id, 'cancel', {});
    await faultsConsumed(paysera().sandboxUrl);
    await paysera().act(ordered, 'reserve');
    const answer = await cancelling;
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.state, 'cancelled');
    assert.equal(answer.body.captured_amount, 0);
    const transaction = await paysera().transaction(ordered.provider_reference.transaction_key!);
    assert.equal(transaction.status, 'revoked', JSON.stringify(transaction));
  });
});
