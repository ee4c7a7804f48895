/**
 * Issue 10, items 3 and 4, end to end: a replayed (old) but correctly signed Settle callback is
 * refused; the Paysera spot listing is scoped per merchant; SEQR hints are rate-limited per payment;
 * list cursors are tamper-evident yet good on every ingress; a read with no worker running is a
 * quick 503. Settle runs as an "external" server (its sandbox started here) so this test holds
 * Settle's callback signing key and can sign a callback of its own.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { createIngressApp } from '../../src/ingress/app';
import { buildIngressProviders, defaultPlugins } from '../../src/providers';
import { loadTemporalConfig } from '../../src/temporal/connection-config';
import { useExternalSettleStack } from '../support/external-settle-stack';
import { call, eventually, type TestResponse } from '../support/http';
import { PayseraCustomer } from '../support/paysera-customer';
import { newTid, Pos, type Payment } from '../support/pos';
import { scanPayment } from '../support/settle-customer';

const external = useExternalSettleStack('hygiene', { PAYSERA_POLL_INTERVAL_MS: '200' });
const running = () => external().stack;
const pos = () => new Pos(running().ingressUrl, 'key-a');
const otherPos = () => new Pos(running().ingressUrl, 'key-b');
const auth = (key = 'key-a') => ({ authorization: `Bearer ${key}` });

function assertProblem(answer: TestResponse, status: number, code: string): void {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
  assert.equal(answer.body.code, code);
  assert.equal(answer.body.status, status);
}

const fieldsOf = (answer: TestResponse) => (answer.body as { errors: { field: string }[] }).errors.map((entry) => entry.field);

async function metric(line: RegExp): Promise<number> {
  const text = String((await call('GET', `${running().ingressUrl}/metrics`)).body);
  const match = line.exec(text);
  return match ? Number(match[1]) : 0;
}

/** The spot identifiers (upper case) a merchant's key is shown, over the statuses a table in use can have. */
async function tablesSeenBy(key: string): Promise<string[]> {
  const seen: string[] = [];
  for (const status of ['waiting', 'open']) {
    const answer = await call<{ data: { identifier: string | null }[] }>('GET', `${running().ingressUrl}/v1/paysera/spots?status=${status}`, { headers: auth(key) });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    seen.push(...answer.body.data.map((spot) => String(spot.identifier).toUpperCase()));
  }
  return seen;
}

let settlePayment: Payment | undefined;

describe('ingress hygiene', () => {
  it('a correctly signed Settle callback with an old X-Settle-Timestamp → 401, and the payment does not move', async () => {
    const created = await pos().create({ provider: 'settle', pos_id: 'till-h', pos_tid: newTid(), amount: 1500, currency: 'EUR' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    settlePayment = created.body;
    const body = JSON.stringify({ meta: { id: 'replayed-1', event: 'shortlink_scanned', uri: null, seqno: 0, labels: [], context: 'ctx:replayed' }, object: { id: 'token:replayed', argstring: created.body.id } });
    const unauthorizedBefore = await metric(/pos_webhooks_total\{provider="settle",verdict="unauthorized"\} (\d+)/);
    for (const minutes of [-20, -60 * 24, 20]) {
      const signedAt = new Date(Date.now() + minutes * 60_000);
      assertProblem(await external().settleCallback(body, { signedAt }), 401, 'unauthorized');
    }
    assert.equal(await metric(/pos_webhooks_total\{provider="settle",verdict="unauthorized"\} (\d+)/), unauthorizedBefore + 3);
    const after = (await pos().get(created.body.id)).body;
    assert.equal(after.version, created.body.version);
    assert.equal(after.provider_reference.tid, undefined);
    // The genuine scan (signed now by the sandbox) still goes through.
    assert.ok(await scanPayment(pos(), external().settle, created.body));
  });

  it('the Paysera spot listing: a table with an order shows only to its merchant; a table without one to every merchant', async () => {
    const customer = new PayseraCustomer(running().sandboxUrl('paysera'));
    const code = (table: string) => `PAYSERA*${running().env.PAYSERA_LOCATION_ID}:${table}`;
    const order = (table: string) => ({ provider: 'paysera', pos_id: 'waiter-h', pos_tid: newTid(), amount: 1200, currency: 'EUR', provider_options: { spot_code: code(table) } });
    const ofA = (await pos().create(order('TABLE1'))).body;
    const ofB = (await otherPos().create(order('TABLE2'))).body;
    // Three customers (a sandbox customer sits at one table at a time).
    for (const table of ['TABLE1', 'TABLE2', 'TABLE3']) {
      const checkIn = await call('POST', `${customer.sandboxUrl}/_sandbox/spots/${(await customer.spot(table)).id}/check-in`, { body: { customer: `guest-${table}` } });
      assert.ok(checkIn.status < 300, JSON.stringify(checkIn.body));
    }
    await pos().waitFor(ofA.id, (payment) => payment.provider_reference.transaction_key !== undefined);
    await otherPos().waitFor(ofB.id, (payment) => payment.provider_reference.transaction_key !== undefined);

    const seenByA = await tablesSeenBy('key-a');
    const seenByB = await tablesSeenBy('key-b');
    assert.ok(seenByA.includes('TABLE1') && !seenByA.includes('TABLE2'), seenByA.join());
    assert.ok(seenByB.includes('TABLE2') && !seenByB.includes('TABLE1'), seenByB.join());
    assert.ok(seenByA.includes('TABLE3') && seenByB.includes('TABLE3'), 'a table without our order is the location’s');

    const spots = `${running().ingressUrl}/v1/paysera/spots`;
    const unknownStatus = await call('GET', `${spots}?status=seated`, { headers: auth() });
    assertProblem(unknownStatus, 422, 'validation_failed');
    assert.deepEqual(fieldsOf(unknownStatus), ['status']);
    const unknownParameter = await call('GET', `${spots}?status=waiting&merchant=m-b`, { headers: auth() });
    assertProblem(unknownParameter, 422, 'validation_failed');
    assert.deepEqual(fieldsOf(unknownParameter), ['merchant']);

    await pos().command(ofA.id, 'cancel', {});
    await otherPos().command(ofB.id, 'cancel', {});
  });

  it('SEQR hints: a flood for one payment is answered 200, at most one a second is delivered, the rest counted as dropped', async () => {
    const till = 'till-hint';
    const registered = await call('PUT', `${running().ingressUrl}/v1/terminals/${till}/seqr`, { body: { seqr_id: 'SQH001', name: 'Hint till' }, headers: auth() });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const created = await pos().create({ provider: 'seqr', pos_id: till, pos_tid: newTid(), amount: 1000, currency: 'SEK' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const signals = /pos_webhooks_total\{provider="seqr",verdict="hint"\} (\d+)/;
    const dropped = /pos_webhook_hints_dropped_total\{provider="seqr"\} (\d+)/;
    const [signalsBefore, droppedBefore] = [await metric(signals), await metric(dropped)];
    const hints = 300;
    const url = `${running().ingressUrl}/v1/webhooks/seqr?payment=${encodeURIComponent(created.body.id)}`;
    const started = Date.now();
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(Array.from({ length: 10 }, async () => {
      while (next < hints) {
        next += 1;
        statuses.push((await call('POST', url, { raw: '' })).status);
      }
    }));
    const seconds = Math.ceil((Date.now() - started) / 1000);
    assert.deepEqual([...new Set(statuses)], [200]);
    assert.equal(await metric(signals), signalsBefore + hints, 'every hint is counted');
    const droppedNow = (await metric(dropped)) - droppedBefore;
    assert.ok(hints - droppedNow <= seconds + 1, `${hints - droppedNow} hints delivered in ${seconds} s`);
    assert.ok(droppedNow < hints, 'the first hint is delivered');
    await pos().command(created.body.id, 'cancel', {});
  });

  it('list cursors: good on another ingress; garbage, forged or another listing’s cursor → 422 on cursor at once', async () => {
    await eventually('two of m-a’s payments to be listed', async () => ((await pos().list('?limit=2')).body.data?.length ?? 0) >= 2);
    const first = await pos().list('?limit=1');
    assert.equal(first.status, 200);
    const cursor = first.body.next_cursor;
    assert.ok(cursor);

    // A second ingress process of the same deployment (same POS_API_KEYS) takes the cursor.
    const env = running().env;
    const other = createIngressApp({
      client: running().client,
      closing: new AbortController().signal,
      taskQueue: loadTemporalConfig(env).taskQueue,
      apiKeys: running().apiKeys,
      providers: buildIngressProviders(defaultPlugins, env),
      publicBaseUrl: external().publicBaseUrl,
      createTimeoutMs: 15_000,
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => other.once('listening', resolve));
    try {
      const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
      const second = await new Pos(otherUrl, 'key-a').list(`?limit=1&cursor=${cursor}`);
      assert.equal(second.status, 200, JSON.stringify(second.body));
      assert.equal(second.body.data.length, 1);
      assert.notEqual(second.body.data[0]!.id, first.body.data[0]!.id);
    } finally {
      other.close();
    }

    const [token = '', mac = ''] = cursor.split('.');
    const forgedToken = Buffer.from('{"CloseTime":"2001-01-01T00:00:00Z","StartTime":"2001-01-01T00:00:00Z","RunID":"x"}').toString('base64url');
    const refused = [
      ['?cursor=garbage', 'key-a'],
      [`?cursor=${forgedToken}.${mac}`, 'key-a'],
      [`?cursor=${token}.${'A'.repeat(22)}`, 'key-a'],
      [`?cursor=${cursor}&state=captured`, 'key-a'],
      [`?cursor=${cursor}`, 'key-b'],
      [`?cursor=${cursor}&cursor=${cursor}`, 'key-a'],
    ] as const;
    for (const [query, key] of refused) {
      const started = Date.now();
      const answer = await new Pos(running().ingressUrl, key).list(query);
      assertProblem(answer as TestResponse, 422, 'validation_failed');
      assert.deepEqual(fieldsOf(answer as TestResponse), ['cursor'], query);
      assert.ok(Date.now() - started < 3000, `${query} took ${Date.now() - started} ms`);
    }
  });

  it('with no worker running, payments are still read from their memo; a read that needs a worker is 503 worker_unavailable within seconds', async () => {
    const payment = settlePayment;
    assert.ok(payment);
    const before = await pos().get(payment.id);
    await running().stopWorker();
    const started = Date.now();
    const [read, longPoll, qr, list, terminal] = await Promise.all([
      pos().get(payment.id),
      pos().get(payment.id, `?wait_for_version=${before.body.version}&timeout=1`),
      call('GET', `${running().ingressUrl}/v1/payments/${payment.id}/qr.svg`, { headers: auth() }),
      pos().list('?limit=3'),
      call('GET', `${running().ingressUrl}/v1/terminals/till-hint/seqr`, { headers: auth() }),
    ]);
    const elapsed = Date.now() - started;
    assert.equal(read.status, 200);
    assert.deepEqual(read.body, before.body);
    assert.equal(longPoll.status, 200);
    assert.equal(longPoll.body.version, before.body.version);
    assert.equal(qr.status, 200);
    assert.equal(list.status, 200);
    assert.ok((list.body.data?.length ?? 0) > 0);
    // A till's registration is a query: only a worker answers it.
    assertProblem(terminal, 503, 'worker_unavailable');
    assert.ok(Number(terminal.headers['retry-after']) > 0);
    assert.ok(elapsed < 15_000, `the reads took ${elapsed} ms`);
  });
});
