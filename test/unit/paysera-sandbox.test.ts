/**
 * The Paysera sandbox through our real client: MAC authentication (and its refusals), spots with
 * auto-registration and check-in, orders with inline transactions, the transaction and payment
 * state machines, signed callbacks (verified with the key from GET /publickey), reservation lapse,
 * and every injected fault. Callbacks land on a small local receiver.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { verifyCallback } from '../../activities/paysera/callback-signature';
import { PayseraClient, PayseraRefusal, type OrderTransaction } from '../../activities/paysera/client';
import { generateNonce, signRequest } from '../../activities/paysera/mac';
import { callbackEventSchema, transactionSchema, type Order, type Spot, type Transaction } from '../../activities/paysera/wire';
import { ProviderUnavailableError } from '../../activities/http-json';
import { startPayseraSandbox, type RunningPayseraSandbox } from '../../src/sandboxes/paysera';
import type { CallbackAttempt } from '../../src/sandboxes/paysera/callbacks';
import type { TransactionInspection } from '../../src/sandboxes/paysera/control-routes';
import { call, eventually } from '../support/http';
import { RecordingServer } from '../support/recording-server';

const CLIENT_ID = 'wkVd93h2uS';
const MAC_KEY = 'IrdTc8uQodU7PRpLzzLTW6wqZAO6tAMU';
const LOCATION = 3;
const keys = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

interface ReceivedCallback {
  path: string;
  contentType: string | undefined;
  verified: boolean;
  type: string;
  transaction: Transaction;
}

/** Records every callback, checking its signature with the key the sandbox publishes. */
class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  /** Statuses to answer per path, in order; 200 once exhausted. */
  readonly answers = new Map<string, number[]>();
  publicKeyPem = '';
  url = '';

  private readonly http = new RecordingServer((recorded) => {
    const form = new URLSearchParams(recorded.body.toString('utf8'));
    const event = form.get('event') ?? '';
    const verified = verifyCallback({ event, sign: form.get('sign') ?? '' }, this.publicKeyPem);
    // Parsed only once its signature checked out, as our webhook will (§6).
    if (verified) {
      const parsed = callbackEventSchema.parse(JSON.parse(event));
      this.received.push({ path: recorded.path, contentType: recorded.headers['content-type'], verified, type: parsed.type, transaction: transactionSchema.parse(parsed.data) });
    } else {
      this.received.push({ path: recorded.path, contentType: recorded.headers['content-type'], verified, type: '', transaction: {} as Transaction });
    }
    return { status: this.answers.get(recorded.path)?.shift() ?? 200 };
  });

  async start(): Promise<void> {
    this.url = await this.http.start();
  }

  forTransaction(key: string): ReceivedCallback[] {
    return this.received.filter((callback) => callback.transaction.transaction_key === key);
  }

  async await(key: string, count: number): Promise<ReceivedCallback[]> {
    return eventually(`${count} callback(s) for ${key}`, () => {
      const found = this.forTransaction(key);
      return found.length >= count ? found : undefined;
    });
  }

  stop(): Promise<void> {
    return this.http.stop();
  }
}

const receiver = new CallbackReceiver();
let sandbox: RunningPayseraSandbox;
let client: PayseraClient;

const clientWith = (overrides: { macKey?: string; clientId?: string; requestTimeoutMs?: number } = {}) =>
  new PayseraClient({ baseUrl: sandbox.url, clientId: CLIENT_ID, macKey: MAC_KEY, requestTimeoutMs: 3_000, ...overrides });

/** A control call that must succeed. */
async function control<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const answer = await call<T>(method, `${sandbox.url}/_sandbox/${path}`, body === undefined ? {} : { body });
  assert.ok(answer.status < 300, `${method} ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body;
}

const inspect = (key: string) => control<TransactionInspection>('GET', `transactions/${key}`);
const fault = (body: Record<string, unknown>) => control('POST', 'faults', body);

/** A signed API call built by hand, for what our client never sends (tampered bodies, other fields). */
async function rawApi(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { body?: string; signedBody?: string } = {}) {
  const url = new URL(`/rest/v1${path}`, sandbox.url);
  const authorization = signRequest({ clientId: CLIENT_ID, macKey: MAC_KEY, method, url, body: options.signedBody ?? options.body, ts: Math.floor(Date.now() / 1000), nonce: generateNonce() });
  return call(method, url.toString(), { raw: options.body, headers: { Authorization: authorization } });
}

async function expectRefusal(promise: Promise<unknown>, status: number, error: string): Promise<PayseraRefusal> {
  const refusal = await promise.then(
    () => assert.fail(`expected ${status} ${error}`),
    (thrown: unknown) => thrown,
  );
  assert.ok(refusal instanceof PayseraRefusal, String(refusal));
  assert.equal(refusal.status, status, refusal.message);
  assert.equal(refusal.error, error, refusal.message);
  return refusal;
}

async function expectUnavailable(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, ProviderUnavailableError);
}

let tableSeq = 0;

/** A spot with a customer checked in: the state a merchant finds by polling waiting spots. */
async function waitingSpot(): Promise<Spot> {
  const spot = await client.spotByCode(`PAYSERA*${LOCATION}:T${++tableSeq}`);
  await control('POST', `spots/${spot.id}/check-in`);
  return spot;
}

const transactionBody = (overrides: Partial<OrderTransaction> = {}): OrderTransaction => ({
  payments: [{ description: 'Table bill', price: 2_450, currency: 'EUR' }],
  callback_uri: `${receiver.url}/paysera/callback`,
  ...overrides,
});

async function orderAtWaitingSpot(overrides: Partial<OrderTransaction> = {}): Promise<{ spot: Spot; order: Order }> {
  const spot = await waitingSpot();
  const order = await client.createOrder(spot.id, { transaction: transactionBody(overrides) });
  return { spot, order };
}

async function reservedOrder(overrides: Partial<OrderTransaction> = {}): Promise<{ spot: Spot; order: Order }> {
  const created = await orderAtWaitingSpot(overrides);
  await control('POST', `transactions/${created.order.transaction_key}/reserve`);
  return created;
}

before(async () => {
  await receiver.start();
  sandbox = await startPayseraSandbox({
    clients: [{ clientId: CLIENT_ID, macKey: MAC_KEY }],
    callbackPrivateKeyPem: keys.privateKey,
    locationId: LOCATION,
    knownSpots: ['TABLE1', 'TABLE2'],
  });
  client = clientWith();
  const publicKey = await request(`${sandbox.url}/publickey`);
  receiver.publicKeyPem = await publicKey.body.text();
});

afterEach(async () => {
  await control('POST', 'reset');
});

after(async () => {
  await sandbox.close();
  await receiver.stop();
});

describe('MAC authentication', () => {
  it('accepts our client and publishes the callback key', () => {
    assert.equal(receiver.publicKeyPem, keys.publicKey);
    return client.spot(1).then((spot) => assert.equal(spot.identifier, 'table1'));
  });

  it('refuses a wrong key or an unknown client with 401 unauthorized', async () => {
    const refusal = await expectRefusal(clientWith({ macKey: 'wrong' }).spot(1), 401, 'unauthorized');
    assert.equal(refusal.description, 'MAC does not match');
    await expectRefusal(clientWith({ clientId: 'stranger' }).spot(1), 401, 'unauthorized');
    const unsigned = await call('GET', `${sandbox.url}/rest/v1/spot/1`);
    assert.equal(unsigned.status, 401);
  });

  it('refuses a body that does not match its body_hash', async () => {
    const spot = await waitingSpot();
    const signed = JSON.stringify({ transaction: transactionBody() });
    const sent = JSON.stringify({ transaction: transactionBody({ payments: [{ description: 'Table bill', price: 1, currency: 'EUR' }] }) });
    const answer = await rawApi('POST', `/spot/${spot.id}/order`, { body: sent, signedBody: signed });
    assert.equal(answer.status, 401);
    assert.deepEqual(answer.body, { error: 'unauthorized', error_description: 'body_hash does not match the body' });
    assert.equal((await control<unknown[]>('GET', `orders?spot_id=${spot.id}`)).length, 0);
    // The same body, honestly signed, goes through.
    assert.equal((await rawApi('POST', `/spot/${spot.id}/order`, { body: sent })).status, 200);
  });
});

describe('spots', () => {
  it('finds known spots by code and auto-registers unknown (forged) identifiers once', async () => {
    const known = await client.spotByCode(`PAYSERA*${LOCATION}:TABLE1`);
    assert.deepEqual({ id: known.id, identifier: known.identifier, status: known.status }, { id: 1, identifier: 'table1', status: 'closed' });
    const forged = await client.spotByCode(`PAYSERA*${LOCATION}:FORGED 7`);
    assert.equal(forged.identifier, 'forged 7');
    assert.equal((await client.spotByCode(`PAYSERA*${LOCATION}:forged 7`)).id, forged.id);
    await expectRefusal(client.spotByCode('PAYSERA*99:TABLE1'), 404, 'not_found');
    await expectRefusal(client.spotByCode('TABLE1'), 400, 'invalid_parameters');
    await expectRefusal(client.spot(999), 404, 'not_found');
  });

  it('check-in makes a spot waiting, and the merchant finds it by listing waiting spots', async () => {
    const spot = await waitingSpot();
    assert.equal((await client.spot(spot.id)).status, 'waiting');
    const waiting = await client.spots({ status: 'waiting' });
    assert.deepEqual(waiting.spots.map((found) => found.identifier), [spot.identifier]);
    assert.deepEqual(waiting._metadata, { total: 1, offset: 0, limit: 20 });
    const closed = await client.spots({ status: 'closed', limit: 1, offset: 1 });
    assert.deepEqual([closed.spots.length, closed._metadata.total, closed._metadata.limit], [1, 2, 1]);
    // The last customer to leave closes the spot.
    await control('POST', `spots/${spot.id}/check-out`);
    assert.equal((await client.spot(spot.id)).status, 'closed');
  });

  it('refuses an order while nobody is checked in', async () => {
    const spot = await client.spotByCode(`PAYSERA*${LOCATION}:TABLE2`);
    await expectRefusal(client.createOrder(spot.id, { transaction: transactionBody() }), 409, 'invalid_state');
  });

  it('closing a spot closes its pending orders, not the paid ones, and checks everybody out', async () => {
    const { spot, order: pending } = await orderAtWaitingSpot();
    const paid = await client.createOrder(spot.id, { transaction: transactionBody() });
    await control('POST', `transactions/${paid.transaction_key}/reserve`);
    await client.confirmTransaction(paid.transaction_key);
    const closed = await client.closeSpot(spot.id);
    assert.equal(closed.status, 'closed');
    assert.deepEqual(closed.orders, []);
    assert.equal((await client.order(pending.id)).status, 'closed');
    assert.equal((await client.order(paid.id)).status, 'confirmed');
    // The pending order's transaction is left for the merchant to revoke.
    assert.equal((await client.transaction(pending.transaction_key)).status, 'new');
    await expectRefusal(client.createOrder(spot.id, { transaction: transactionBody() }), 409, 'invalid_state');
  });
});

describe('orders and transactions', () => {
  it('creates an order with an inline transaction: pending, spot open, listed on the spot', async () => {
    const { spot, order } = await orderAtWaitingSpot({ payments: [{ description: 'Coffee', price: 350, currency: 'EUR' }, { description: 'Cake', price: 420, currency: 'EUR' }] });
    assert.equal(order.status, 'pending');
    const open = await client.spot(spot.id);
    assert.equal(open.status, 'open');
    assert.deepEqual(open.orders, [order]);
    const transaction = await client.transaction(order.transaction_key);
    assert.equal(transaction.status, 'new');
    assert.deepEqual(transaction.payments.map((payment) => [payment.status, payment.price, payment.price_decimal, payment.currency]), [
      ['new', 350, '3.50', 'EUR'],
      ['new', 420, '4.20', 'EUR'],
    ]);
    assert.equal(transaction.callback_uri, `${receiver.url}/paysera/callback`);
    const inspection = await inspect(order.transaction_key);
    assert.deepEqual(inspection.actions.map((action) => [action.action, action.status]), [['create_order', 200]]);
    assert.equal(inspection.reads, 1);
  });

  it('refuses an order body Paysera would refuse', async () => {
    const spot = await waitingSpot();
    const noPayments = await rawApi('POST', `/spot/${spot.id}/order`, { body: JSON.stringify({ transaction: { payments: [] } }) });
    assert.equal(noPayments.status, 400);
    assert.equal(noPayments.body.error, 'invalid_parameters');
    const notJson = await rawApi('POST', `/spot/${spot.id}/order`, { body: '{"transaction":' });
    assert.deepEqual([notJson.status, notJson.body.error], [400, 'invalid_request']);
  });

  it('customer reserves: signed callback, transaction and order reserved; then a full confirm', async () => {
    const { spot, order } = await reservedOrder();
    const [callback] = await receiver.await(order.transaction_key, 1);
    assert.equal(callback?.verified, true);
    assert.equal(callback?.contentType, 'application/x-www-form-urlencoded');
    assert.equal(callback?.type, 'reserved');
    assert.equal(callback?.transaction.status, 'reserved');
    assert.equal((await client.order(order.id)).status, 'reserved');
    assert.equal((await client.spot(spot.id)).orders[0]?.status, 'reserved');

    const confirmed = await client.confirmTransaction(order.transaction_key);
    assert.equal(confirmed?.status, 'confirmed');
    assert.equal(confirmed?.payments[0]?.price, 2_450);
    assert.equal((await client.order(order.id)).status, 'confirmed');
    await expectRefusal(client.confirmTransaction(order.transaction_key), 409, 'invalid_state');
    // Our own confirm is never called back (§6).
    assert.equal(receiver.forTransaction(order.transaction_key).length, 1);
    const actions = (await inspect(order.transaction_key)).actions.map((action) => [action.action, action.source, action.status]);
    assert.deepEqual(actions, [['create_order', 'merchant', 200], ['reserve', 'customer', 200], ['confirm', 'merchant', 200], ['confirm', 'merchant', 409]]);
  });

  it('confirms a lower amount than reserved, and refuses a higher one', async () => {
    const { order } = await reservedOrder();
    const paymentId = (await client.transaction(order.transaction_key)).payments[0]!.id;
    await expectRefusal(client.confirmTransaction(order.transaction_key, { [paymentId]: { price: 9_999, currency: 'EUR' } }), 400, 'invalid_parameters');
    await expectRefusal(client.confirmTransaction(order.transaction_key, { [paymentId + 1]: { price: 100, currency: 'EUR' } }), 400, 'invalid_parameters');
    const confirmed = await client.confirmTransaction(order.transaction_key, { [paymentId]: { price: 2_000, currency: 'EUR' } });
    assert.deepEqual([confirmed?.status, confirmed?.payments[0]?.price, confirmed?.payments[0]?.price_decimal], ['confirmed', 2_000, '20.00']);
  });

  it('revokes a new or reserved transaction; the order closes; a second revoke is refused', async () => {
    const { order } = await reservedOrder();
    const revoked = await client.revokeTransaction(order.transaction_key);
    assert.equal(revoked?.status, 'revoked');
    assert.equal(revoked?.payments[0]?.status, 'revoked');
    assert.equal((await client.order(order.id)).status, 'closed');
    await expectRefusal(client.revokeTransaction(order.transaction_key), 409, 'invalid_state');
    await expectRefusal(client.confirmTransaction(order.transaction_key), 409, 'invalid_state');
    const { order: fresh } = await orderAtWaitingSpot();
    assert.equal((await client.revokeTransaction(fresh.transaction_key))?.status, 'revoked');
  });

  it('customer rejects or the transaction fails: called back, order closed', async () => {
    const { order: rejected } = await orderAtWaitingSpot();
    await control('POST', `transactions/${rejected.transaction_key}/reject`);
    const [rejectCallback] = await receiver.await(rejected.transaction_key, 1);
    assert.deepEqual([rejectCallback?.verified, rejectCallback?.type, rejectCallback?.transaction.status], [true, 'rejected', 'rejected']);
    assert.equal((await client.order(rejected.id)).status, 'closed');
    await expectRefusal(client.revokeTransaction(rejected.transaction_key), 409, 'invalid_state');

    const { order: failed } = await reservedOrder();
    await control('POST', `transactions/${failed.transaction_key}/fail`);
    const callbacks = await receiver.await(failed.transaction_key, 2);
    assert.deepEqual(callbacks.map((callback) => callback.type), ['reserved', 'failed']);
  });

  it('auto_confirm: reserving confirms at once, with only the confirmed callback', async () => {
    const spot = await waitingSpot();
    const body = JSON.stringify({ transaction: { ...transactionBody(), auto_confirm: true } });
    const order = (await rawApi('POST', `/spot/${spot.id}/order`, { body })).body as Order;
    await control('POST', `transactions/${order.transaction_key}/reserve`);
    const [callback] = await receiver.await(order.transaction_key, 1);
    assert.equal(callback?.type, 'confirmed');
    assert.equal((await client.transaction(order.transaction_key)).status, 'confirmed');
  });

  it('a reservation lapses at reserve_until: revoked, no callback', async () => {
    const spot = await waitingSpot();
    const body = JSON.stringify({ transaction: { ...transactionBody(), reserve_until: Math.floor(Date.now() / 1000) + 1 } });
    const order = (await rawApi('POST', `/spot/${spot.id}/order`, { body })).body as Order;
    await control('POST', `transactions/${order.transaction_key}/reserve`);
    await eventually('the reservation to lapse', async () => (await client.transaction(order.transaction_key)).status === 'revoked', 5_000);
    const inspection = await inspect(order.transaction_key);
    assert.deepEqual(inspection.actions.at(-1), { ...inspection.actions.at(-1), action: 'lapse', source: 'timer', status: null });
    assert.deepEqual(receiver.forTransaction(order.transaction_key).map((callback) => callback.type), ['reserved']);
  });

  it('deleting an order closes it and takes it off the spot; a paid order stays', async () => {
    const { spot, order } = await orderAtWaitingSpot();
    assert.equal((await client.deleteOrder(order.id)).status, 'closed');
    assert.deepEqual((await client.spot(spot.id)).orders, []);
    await expectRefusal(client.order(123_456), 404, 'not_found');
  });
});

describe('payments', () => {
  it('cancels a confirmed payment before it is done, and refuses after', async () => {
    const { order } = await reservedOrder({ payments: [{ description: 'Lunch', price: 1_000, currency: 'EUR' }, { description: 'Tip', price: 200, currency: 'EUR' }] });
    const [lunch, tip] = (await client.confirmTransaction(order.transaction_key))?.payments ?? [];
    assert.ok(lunch && tip);
    await expectRefusal(client.cancelPayment(999_999), 404, 'not_found');
    const canceled = await client.cancelPayment(lunch.id);
    assert.equal(canceled?.status, 'canceled');
    assert.equal((await client.payment(lunch.id)).status, 'canceled');
    await expectRefusal(client.cancelPayment(lunch.id), 409, 'invalid_state');

    await control('POST', `payments/${tip.id}/done`);
    assert.equal((await client.payment(tip.id)).status, 'done');
    await expectRefusal(client.cancelPayment(tip.id), 409, 'invalid_state');
    const actions = (await inspect(order.transaction_key)).actions.filter((action) => action.action === 'cancel_payment').map((action) => action.status);
    assert.deepEqual(actions, [200, 409, 409]);
  });

  it('refuses to cancel a payment that was never confirmed', async () => {
    const { order } = await orderAtWaitingSpot();
    const paymentId = (await client.transaction(order.transaction_key)).payments[0]!.id;
    await expectRefusal(client.cancelPayment(paymentId), 409, 'invalid_state');
  });
});

describe('callback delivery', () => {
  it('retries a callback the receiver failed, and duplicates on request', async () => {
    const retried = await orderAtWaitingSpot({ callback_uri: `${receiver.url}/flaky` });
    receiver.answers.set('/flaky', [500]);
    await control('POST', `transactions/${retried.order.transaction_key}/reserve`);
    await receiver.await(retried.order.transaction_key, 2);
    const log = await control<CallbackAttempt[]>('GET', 'callbacks');
    assert.deepEqual(log.filter((entry) => entry.transaction_key === retried.order.transaction_key).map((entry) => [entry.attempt, entry.status]), [[1, 500], [2, 200]]);

    const duplicated = await orderAtWaitingSpot();
    await control('POST', 'callbacks/duplicate', { times: 1 });
    await control('POST', `transactions/${duplicated.order.transaction_key}/reject`);
    const copies = await receiver.await(duplicated.order.transaction_key, 2);
    assert.deepEqual(copies.map((copy) => copy.type), ['rejected', 'rejected']);
  });
});

describe('faults', () => {
  it('5xx answers are retryable ProviderUnavailableErrors and change nothing', async () => {
    await fault({ method: 'GET', path_pattern: '^/rest/v1/spot/1$', fault: 'status_500' });
    await fault({ method: 'GET', path_pattern: '^/rest/v1/spot/1$', fault: 'status_503' });
    await expectUnavailable(client.spot(1));
    await expectUnavailable(client.spot(1));
    assert.equal((await client.spot(1)).id, 1);
  });

  it('status_429 (rate_limit_exceeded) reaches the client as a retryable outage, not a refusal', async () => {
    await fault({ path_pattern: '^/rest/v1/spots$', fault: 'status_429' });
    await expectUnavailable(client.spots({ status: 'waiting' }));
  });

  it('delay: a slow answer arrives late, or times the client out', async () => {
    await fault({ method: 'GET', path_pattern: '^/rest/v1/spot/1$', fault: 'delay', delay_ms: 300 });
    const started = performance.now();
    assert.equal((await client.spot(1)).id, 1);
    // One monotonic clock; libuv's millisecond loop clock may fire a timer up to 1 ms early against it.
    assert.ok(performance.now() - started >= 299, `answered after ${performance.now() - started} ms`);
    // undici checks its timeouts on a coarse (about 1 s) clock, so the delay must clearly exceed that.
    await fault({ method: 'GET', path_pattern: '^/rest/v1/spot/1$', fault: 'delay', delay_ms: 3_000 });
    await expectUnavailable(clientWith({ requestTimeoutMs: 200 }).spot(1));
  });

  it('drop: the request is lost before anything happens', async () => {
    const spot = await waitingSpot();
    await fault({ method: 'POST', path_pattern: '/order$', fault: 'drop' });
    await expectUnavailable(client.createOrder(spot.id, { transaction: transactionBody() }));
    assert.deepEqual((await client.spot(spot.id)).orders, []);
  });

  it('commit_then_drop on order create: the answer is lost, the order is on the spot', async () => {
    const spot = await waitingSpot();
    await fault({ method: 'POST', path_pattern: `^/rest/v1/spot/${spot.id}/order$`, fault: 'commit_then_drop' });
    await expectUnavailable(client.createOrder(spot.id, { transaction: transactionBody() }));
    const [order] = (await client.spot(spot.id)).orders;
    assert.equal(order?.status, 'pending');
    assert.equal((await client.transaction(order.transaction_key)).status, 'new');
  });

  it('incomplete_body: a cut answer is retryable, the confirm is committed', async () => {
    const { order } = await reservedOrder();
    await fault({ method: 'PUT', path_pattern: '/confirm$', fault: 'incomplete_body' });
    await expectUnavailable(client.confirmTransaction(order.transaction_key));
    assert.equal((await client.transaction(order.transaction_key)).status, 'confirmed');
  });

  it('empty_answer: confirm, revoke and cancel answer {} and still act', async () => {
    await fault({ path_pattern: '^/rest/v1/(transaction|payment)/', fault: 'empty_answer', times: 3 });
    const { order } = await reservedOrder();
    // A GET on the way does not use the fault up: it only strikes the calls it is about.
    const paymentId = (await client.transaction(order.transaction_key)).payments[0]!.id;
    assert.equal(await client.confirmTransaction(order.transaction_key), null);
    assert.equal(await client.cancelPayment(paymentId), null);
    assert.equal((await client.payment(paymentId)).status, 'canceled');
    const { order: other } = await orderAtWaitingSpot();
    assert.equal(await client.revokeTransaction(other.transaction_key), null);
    assert.equal((await client.transaction(other.transaction_key)).status, 'revoked');
  });
});
