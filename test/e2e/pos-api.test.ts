/** The POS API's own contract: idempotent create, validation, scoping, listing, QR images, webhook auth. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fetchImage, readQrPng } from '../support/qr-reader';
import { call, eventually } from '../support/http';
import { useStack } from '../support/e2e-stack';
import { newTid } from '../support/pos';
import { scanPayment } from '../support/settle-customer';

const e2e = useStack();
const body = (posTid: string, extra: Record<string, unknown> = {}) => ({ provider: 'settle', pos_id: 'till-4', pos_tid: posTid, amount: 1250, currency: 'EUR', ...extra });

describe('POS API', () => {
  it('repeat create → same payment; same ids with another body → 409', async () => {
    const { pos } = e2e();
    const tid = newTid();
    const first = await pos.create(body(tid));
    assert.equal(first.status, 201);
    const repeat = await pos.create(body(tid));
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.id, first.body.id);
    assert.equal(repeat.body.created_at, first.body.created_at);
    assert.deepEqual(repeat.body.qr, first.body.qr);
    const conflict = await pos.create(body(tid, { amount: 9999 }));
    assert.equal(conflict.status, 409);
    assert.equal(conflict.body.code, 'idempotency_conflict');
    assert.equal((await pos.get(first.body.id)).body.amount, 1250);
    // No second payment anywhere: the customer who scans finds exactly one payment request at Settle.
    await scanPayment(pos, e2e().settle, first.body);
    assert.equal((await e2e().settle.requests('till-4', `m-a.${tid}`)).length, 1);
  });

  it('Idempotency-Key: the same key again → the same payment; the key on another payment → 409', async () => {
    const { pos } = e2e();
    const key = `idem-${newTid()}`;
    const first = body(newTid());
    const send = (payload: Record<string, unknown>, idempotencyKey: string) =>
      call('POST', `${pos.baseUrl}/v1/payments`, { body: payload, headers: { authorization: 'Bearer key-a', 'idempotency-key': idempotencyKey } });
    const created = await send(first, key);
    assert.equal(created.status, 201);
    const repeated = await send(first, key);
    assert.equal(repeated.status, 200);
    assert.equal(repeated.body.id, created.body.id);
    const otherTid = newTid();
    const reused = await send(body(otherTid), key);
    assert.equal(reused.status, 409);
    assert.equal(reused.body.code, 'idempotency_conflict');
    assert.ok(String(reused.body.detail).includes(String(created.body.id)));
    // The refused payment was never started: Temporal knows no workflow under its id.
    await assert.rejects(e2e().stack.client.workflow.getHandle(`pay:m-a:till-4:${otherTid}`).describe(), { name: 'WorkflowNotFoundError' });
    assert.equal((await pos.get(`pay:m-a:till-4:${otherTid}`)).status, 404);
    // Keys are per merchant: merchant B may use the same key for its own payment.
    const other = await call('POST', `${pos.baseUrl}/v1/payments`, { body: body(newTid(), { pos_id: 'till-of-b' }), headers: { authorization: 'Bearer key-b', 'idempotency-key': key } });
    assert.equal(other.status, 201);
  });

  it('repeat create of a finished payment → the same payment, still 409 for another body', async () => {
    const { pos } = e2e();
    const tid = newTid();
    const created = (await pos.create(body(tid))).body;
    await pos.command(created.id, 'cancel', {});
    // The cancelled payment's workflow completes; its id still answers for it.
    await eventually('the workflow to complete', async () => {
      const description = await e2e().stack.client.workflow.getHandle(created.id).describe();
      return description.status.name === 'COMPLETED';
    });
    const repeat = await pos.create(body(tid));
    assert.equal(repeat.status, 200);
    assert.equal(repeat.body.state, 'cancelled');
    assert.equal((await pos.create(body(tid, { amount: 1 }))).status, 409);
    await e2e().recordHistory('pos-idempotent-create-after-completion', created.id);
  });

  it('invalid bodies → 422 problem+json with field messages, and nothing is created', async () => {
    const { pos } = e2e();
    const tid = newTid();
    const bad = await pos.create({ provider: 'settle', pos_id: 'till 4', pos_tid: tid, amount: 12.5, currency: 'XXX', extra: 1 });
    assert.equal(bad.status, 422);
    assert.match(String(bad.headers['content-type']), /application\/problem\+json/);
    assert.equal(bad.body.code, 'validation_failed');
    const fields = bad.body.errors!.map((e: { field: string }) => e.field).sort();
    assert.deepEqual(fields, ['amount', 'currency', 'extra', 'pos_id']);
    assert.equal((await pos.get(`pay:m-a:till-4:${tid}`)).status, 404);

    const wrongCurrency = await pos.create(body(newTid(), { currency: 'AED' }));
    assert.deepEqual(wrongCurrency.body.errors!.map((e: { field: string }) => e.field), ['currency']);
    const unknownOption = await pos.create(body(newTid(), { provider_options: { spot_id: '1' } }));
    assert.deepEqual(unknownOption.body.errors!.map((e: { field: string }) => e.field), ['provider_options.spot_id']);
    const malformed = await call('POST', `${pos.baseUrl}/v1/payments`, { raw: '{"amount":', headers: { authorization: 'Bearer key-a' } });
    assert.equal(malformed.status, 400);
  });

  it('a body that is not JSON → 415 problem+json saying JSON is expected, and nothing is created', async () => {
    const { pos } = e2e();
    const tid = newTid();
    const headers = { authorization: 'Bearer key-a', 'content-type': 'application/x-www-form-urlencoded' };
    const form = await call('POST', `${pos.baseUrl}/v1/payments`, { raw: `provider=settle&pos_id=till-4&pos_tid=${tid}&amount=100&currency=EUR`, headers });
    assert.equal(form.status, 415, JSON.stringify(form.body));
    assert.match(String(form.headers['content-type']), /application\/problem\+json/);
    assert.equal(form.body.code, 'unsupported_media_type');
    assert.match(form.body.detail, /JSON body \(Content-Type: application\/json\)/);
    assert.equal((await pos.get(`pay:m-a:till-4:${tid}`)).status, 404);
    const text = await call('PUT', `${pos.baseUrl}/v1/terminals/till-4/seqr`, { raw: 'seqr_id=1', headers: { ...headers, 'content-type': 'text/plain' } });
    assert.equal(text.status, 415);
    // A command needs no body at all.
    const created = (await pos.create(body(newTid()))).body;
    const bare = await call('POST', `${pos.baseUrl}/v1/payments/${created.id}/cancel`, { headers: { authorization: 'Bearer key-a' } });
    assert.equal(bare.status, 200, JSON.stringify(bare.body));
    assert.equal(bare.body.state, 'cancelled');
  });

  it('requests without a valid key → 401; merchant B cannot see or command merchant A’s payment', async () => {
    const { pos, otherPos } = e2e();
    const created = (await pos.create(body(newTid()))).body;
    assert.equal((await call('GET', `${pos.baseUrl}/v1/payments/${created.id}`)).status, 401);
    assert.equal((await call('GET', `${pos.baseUrl}/v1/payments/${created.id}`, { headers: { authorization: 'Bearer nope' } })).status, 401);
    assert.equal((await otherPos.get(created.id)).status, 404);
    assert.equal((await otherPos.command(created.id, 'cancel', {})).status, 404);
    assert.equal((await otherPos.command(created.id, 'refunds', { amount: 1 })).status, 404);
    assert.equal((await pos.get(created.id)).body.state, 'awaiting_customer');
    const listed = await eventually('merchant A’s payment in the list', async () => {
      const page = (await pos.list('?pos_id=till-4&limit=100')).body;
      return page.data.some((p) => p.id === created.id) ? page : null;
    });
    assert.ok(listed.data.every((p) => p.merchant_id === 'm-a'));
    assert.equal((await otherPos.list('?pos_id=till-4')).body.data.length, 0);
  });

  it('serves the QR as SVG and PNG, and echoes X-Request-Id', async () => {
    const { pos } = e2e();
    const created = (await pos.create(body(newTid()))).body;
    const svg = await call('GET', `${pos.baseUrl}${created.qr!.image_url}`, { headers: { authorization: 'Bearer key-a', 'x-request-id': 'till-4-req-1' } });
    assert.equal(svg.status, 200);
    assert.match(String(svg.body), /^<svg/);
    assert.equal(svg.headers['x-request-id'], 'till-4-req-1');
    const png = await fetchImage(`${pos.baseUrl}/v1/payments/${created.id}/qr.png`, { authorization: 'Bearer key-a' });
    assert.equal(png.contentType, 'image/png');
    assert.equal(readQrPng(png.bytes).text, created.qr!.content, 'the PNG reads back as the payment’s QR content');
  });

  it('qr.image_url loads without a Bearer key (a signed link) and opens only that payment’s QR', async () => {
    const { pos } = e2e();
    const created = (await pos.create(body(newTid()))).body;
    assert.match(created.qr!.image_url, /^\/v1\/payments\/[^?/]+\/qr\.svg\?exp=\d+&sig=[A-Za-z0-9_-]{22}$/);
    const url = `${pos.baseUrl}${created.qr!.image_url}`;
    const svg = await call('GET', url);
    assert.equal(svg.status, 200);
    assert.match(String(svg.body), /^<svg/);
    const png = await fetchImage(url.replace('/qr.svg?', '/qr.png?'));
    assert.equal(png.contentType, 'image/png');
    assert.equal(readQrPng(png.bytes).text, created.qr!.content);

    const problemOf = async (target: string) => {
      const answer = await call('GET', target);
      return `${answer.status} ${String(answer.body?.code)}`;
    };
    assert.equal(await problemOf(url.replace(/exp=(\d+)/, (_, exp: string) => `exp=${Number(exp) + 60}`)), '403 link_invalid');
    const other = (await pos.create(body(newTid()))).body;
    const query = created.qr!.image_url.split('?')[1];
    assert.equal(await problemOf(`${pos.baseUrl}/v1/payments/${encodeURIComponent(other.id)}/qr.svg?${query}`), '403 link_invalid');
    assert.equal(await problemOf(`${pos.baseUrl}/v1/payments/${encodeURIComponent(created.id)}/qr.svg`), '401 unauthorized');
    assert.equal(await problemOf(`${url}&size=5`), '422 validation_failed');

    // Every answer hands out a link that works: a read, a long poll, a list page.
    const read = (await pos.get(created.id)).body;
    assert.equal((await call('GET', `${pos.baseUrl}${read.qr!.image_url}`)).status, 200);
    const listed = (await pos.list('?pos_id=till-4&limit=5')).body.data.find((payment) => payment.id === created.id);
    assert.match(listed?.qr?.image_url ?? '', /\?exp=\d+&sig=/);
  });

  it('a Settle webhook with a bad signature → 401 and the payment does not move', async () => {
    const { pos, settle } = e2e();
    const created = (await pos.create(body(newTid()))).body;
    const forged = JSON.stringify({ meta: { id: 'x', event: 'shortlink_scanned', uri: null }, object: { id: 'token:1', argstring: created.id } });
    const answer = await call('POST', `${pos.baseUrl}/v1/webhooks/settle`, {
      raw: forged,
      headers: { authorization: 'RSA-SHA256 Zm9yZ2Vk', 'x-settle-timestamp': '2026-01-01 00:00:00', 'x-settle-content-digest': 'SHA256=AAAA' },
    });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, 'unauthorized');
    const after = (await pos.get(created.id)).body;
    assert.equal(after.version, created.version);
    assert.equal(after.provider_reference.tid, undefined);
    // A genuine scan still works afterwards.
    assert.ok(await scanPayment(pos, settle, created));
  });

  it('publishes the contract as OpenAPI and counts requests and webhooks in /metrics', async () => {
    const { pos } = e2e();
    const document = await call('GET', `${pos.baseUrl}/openapi.json`);
    assert.equal(document.status, 200);
    assert.equal(document.body.openapi, '3.1.0');
    assert.ok(document.body.paths['/v1/payments'].post.requestBody.content['application/json'].schema.properties.pos_tid);
    const created = (await pos.create(body(newTid()))).body;
    // A till long-polling the payment makes this ingress follow its history (answered at the 1 s timeout).
    const longPoll = pos.get(created.id, `?wait_for_version=${created.version}&timeout=1`);
    await eventually('the long poll to be watched', async () => /^pos_payment_watches [1-9]\d*$/m.test(String((await call('GET', `${pos.baseUrl}/metrics`)).body)));
    await longPoll;
    await call('POST', `${pos.baseUrl}/v1/webhooks/settle`, { raw: '{}' });
    const metrics = await call('GET', `${pos.baseUrl}/metrics`);
    assert.equal(metrics.status, 200);
    assert.match(String(metrics.body), /pos_http_request_duration_seconds_count\{method="POST",route="\/v1\/payments\/",status="201"\} [1-9]/);
    assert.match(String(metrics.body), /pos_webhooks_total\{provider="settle",verdict="unauthorized"\} [1-9]/);
  });

  it('health and readiness', async () => {
    const { pos } = e2e();
    assert.equal((await call('GET', `${pos.baseUrl}/healthz`)).status, 200);
    const ready = await call('GET', `${pos.baseUrl}/readyz`);
    assert.equal(ready.status, 200);
    assert.ok(ready.body.workflow_pollers >= 1);
  });
});
