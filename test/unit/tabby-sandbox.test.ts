/**
 * The Tabby sandbox over real HTTP: bearer and merchant-code authentication, eligibility, money
 * formats, the payment state machine (customer, merchant, auto-capture, expiry), captures and
 * refunds with their idempotency keys, listing, webhook management and delivery (with the
 * registered header, retries, duplicates, reordering) and every injected fault. Webhooks land on
 * a small local receiver.
 */
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { startTabbySandbox, type RunningTabbySandbox, type TabbySandboxConfig } from '../../src/sandboxes/tabby';
import type { Inspection } from '../../src/sandboxes/tabby/control-routes';
import type { TabbyError } from '../../src/sandboxes/tabby/errors';
import type { PaymentList } from '../../src/sandboxes/tabby/listing';
import type { paymentView, sessionView, webhookPayload } from '../../src/sandboxes/tabby/views';
import type { WebhookAttempt } from '../../src/sandboxes/tabby/webhooks';
import { eventually } from '../support/http';
import { RecordingServer } from '../support/recording-server';

type Session = ReturnType<typeof sessionView>;
type Payment = ReturnType<typeof paymentView>;
type WebhookBody = ReturnType<typeof webhookPayload>;
interface Webhook {
  id: string;
  url: string;
  header: { title: string; value: string } | null;
  is_test: boolean;
}

const SECRET = 'sk_test_6f1c0a2b';
const MERCHANT = 'branch-1';
const OTHER_MERCHANT = 'branch-2';
const HOOK_HEADER = { title: 'X-Webhook-Secret', value: 'hook-s3cret' };

interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: WebhookBody;
}

/** Records every webhook; answers the statuses queued for a path, then 200. */
class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly answers = new Map<string, number[]>();
  url = '';

  private readonly http = new RecordingServer((request) => {
    this.received.push({ path: request.path, headers: request.headers, body: JSON.parse(request.body.toString('utf8')) as WebhookBody });
    return { status: this.answers.get(request.path)?.shift() ?? 200 };
  });

  async start(): Promise<void> {
    this.url = await this.http.start();
  }

  forPayment(paymentId: string, path = '/hooks/main'): ReceivedWebhook[] {
    return this.received.filter((hook) => hook.path === path && hook.body.id === paymentId);
  }

  /** Waits until `count` webhooks for the payment arrived on `path`, and returns them in arrival order. */
  async await(paymentId: string, count: number, path = '/hooks/main'): Promise<ReceivedWebhook[]> {
    return eventually(`${count} webhook(s) for ${paymentId} on ${path}`, () => {
      const found = this.forPayment(paymentId, path);
      return found.length >= count ? found : undefined;
    });
  }

  stop(): Promise<void> {
    return this.http.stop();
  }
}

interface Answer<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: T;
  text: string;
  raw: Buffer;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

let orderSeq = 0;
const nextOrder = () => `order-${++orderSeq}`;

function sessionBody(payment: Record<string, unknown> = {}, merchantCode: string = MERCHANT): Record<string, unknown> {
  return {
    payment: {
      amount: '100.00',
      currency: 'AED',
      description: 'till-7',
      order: { reference_id: nextOrder() },
      attachment: {
        body: JSON.stringify({ latitude: 24.4763, longitude: 54.3209, timestamp: '2026-02-27T14:35:10.123Z' }),
        content_type: 'application/vnd.tabby.v1+json',
      },
      ...payment,
    },
    merchant_code: merchantCode,
  };
}

class Client {
  constructor(readonly sandbox: RunningTabbySandbox) {}

  /** A Tabby API call with the secret key unless `headers` says otherwise; `raw` sends a body as is. */
  async api<T = TabbyError>(method: Method, path: string, options: { body?: unknown; raw?: string; headers?: Record<string, string> } = {}): Promise<Answer<T>> {
    const headers = { Authorization: `Bearer ${SECRET}`, ...options.headers };
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
    return this.send<T>(method, `${this.sandbox.url}${path}`, body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' }, body);
  }

  async control<T = TabbyError>(method: Method, path: string, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    return this.send<T>(method, `${this.sandbox.url}/_sandbox/${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
  }

  async send<T>(method: Method, url: string, headers: Record<string, string>, body?: string): Promise<Answer<T>> {
    const response = await request(url, { method, headers, body });
    const raw = Buffer.from(await response.body.arrayBuffer());
    const text = raw.toString('utf8');
    const json = String(response.headers['content-type']).includes('json') ? (JSON.parse(text) as T) : (undefined as T);
    return { status: response.statusCode, headers: response.headers, json, text, raw };
  }

  async create(payment: Record<string, unknown> = {}, merchantCode: string = MERCHANT): Promise<Session> {
    const answer = await this.api<Session>('POST', '/api/v2/checkout', { body: sessionBody(payment, merchantCode) });
    assert.equal(answer.status, 200, answer.text);
    return answer.json;
  }

  async payment(id: string): Promise<Payment> {
    const answer = await this.api<Payment>('GET', `/api/v2/payments/${id}`);
    assert.equal(answer.status, 200, answer.text);
    return answer.json;
  }

  async inspect(paymentId: string): Promise<Inspection> {
    return (await this.control<Inspection>('GET', `payments/${paymentId}`)).json;
  }

  async byReference(referenceId: string): Promise<Inspection[]> {
    return (await this.control<Inspection[]>('GET', `payments?reference_id=${encodeURIComponent(referenceId)}`)).json;
  }

  /** The customer pays; `auto_capture: false` stands in for a merchant without auto-capture. */
  async approve(session: Session, body: Record<string, unknown> = {}): Promise<Answer<Inspection>> {
    return this.control<Inspection>('POST', `sessions/${session.id}/approve`, body);
  }

  async authorized(): Promise<Session> {
    const session = await this.create();
    assert.equal((await this.approve(session, { auto_capture: false })).status, 200);
    return session;
  }

  capture(paymentId: string, amount: string, referenceId: string) {
    return this.api<Payment>('POST', `/api/v2/payments/${paymentId}/captures`, { body: { amount, reference_id: referenceId } });
  }

  refund(paymentId: string, amount: string, referenceId: string) {
    return this.api<Payment>('POST', `/api/v2/payments/${paymentId}/refunds`, { body: { amount, reference_id: referenceId, reason: 'returned' } });
  }
}

const receiver = new WebhookReceiver();
const sandboxes: RunningTabbySandbox[] = [];
let api: Client;

async function sandboxWith(overrides: Partial<TabbySandboxConfig> = {}): Promise<Client> {
  const sandbox = await startTabbySandbox({
    secretKey: SECRET,
    merchantCodes: [MERCHANT, OTHER_MERCHANT],
    webhooks: [{ url: `${receiver.url}/hooks/main`, header: HOOK_HEADER }],
    ...overrides,
  });
  sandboxes.push(sandbox);
  return new Client(sandbox);
}

before(async () => {
  await receiver.start();
  api = await sandboxWith();
});

after(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  await receiver.stop();
});

void describe('authentication', () => {
  void it('refuses calls without the secret key with Tabby 401 bodies', async () => {
    const cases: [Record<string, string>, string][] = [
      [{ Authorization: '' }, 'missing Bearer scheme'],
      [{ Authorization: `Basic ${SECRET}` }, 'missing Bearer scheme'],
      [{ Authorization: 'Bearer sk_test_wrong' }, "auth: provided key doesn't exist"],
      [{ Authorization: 'Bearer pk_test_public' }, 'invalid secret key'],
    ];
    for (const [headers, error] of cases) {
      for (const [method, path] of [['POST', '/api/v2/checkout'], ['GET', '/api/v2/payments'], ['GET', '/api/v1/webhooks']] as const) {
        const answer = await api.api(method, path, { body: method === 'POST' ? sessionBody() : undefined, headers });
        assert.equal(answer.status, 401, `${method} ${path} with ${JSON.stringify(headers)}`);
        assert.deepEqual(answer.json, { status: 'error', errorType: 'not_authorized', error });
      }
    }
  });

  void it('refuses an unknown or missing merchant code', async () => {
    for (const body of [sessionBody({}, 'branch-unknown'), { payment: (sessionBody() as { payment: unknown }).payment }]) {
      const answer = await api.api('POST', '/api/v2/checkout', { body });
      assert.equal(answer.status, 401);
      assert.deepEqual(answer.json, { status: 'error', errorType: 'not_authorized', error: 'merchant is null' });
    }
    const webhooks = await api.api('GET', '/api/v1/webhooks', { headers: { 'X-Merchant-Code': 'branch-unknown' } });
    assert.equal(webhooks.status, 401);
    assert.equal(webhooks.json.error, 'merchant is null');
  });

  void it('answers unknown routes with plain-text 404 and unknown payments with Tabby errors', async () => {
    const unknown = await api.api('GET', '/api/v2/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.text, '404 page not found');
    assert.deepEqual((await api.api('GET', '/api/v2/payments/not-a-uuid')).json, { status: 'error', errorType: 'bad_data', error: 'invalid payment id' });
    const missing = await api.api('GET', '/api/v2/payments/00000000-0000-4000-8000-000000000000');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.json, { status: 'error', errorType: 'not_found', error: 'no such payment' });
  });
});

void describe('session creation', () => {
  void it('creates an eligible session with links, and serves its QR without authentication', async () => {
    const session = await api.create();
    assert.equal(session.status, 'created');
    assert.equal(session.payment.status, 'CREATED');
    assert.equal(session.payment.is_test, true);
    assert.equal(session.payment.amount, '100.00');
    assert.equal(session.payment.description, 'till-7');
    assert.deepEqual(session.configuration.products.installments, { type: 'installments', is_available: true, rejection_reason: null });
    assert.equal(session.token, null);
    const [links] = (session.configuration.available_products as { installments: { qr_code: string; web_url: string }[] }).installments;
    assert.equal(links!.web_url, `${api.sandbox.url}/checkout/${session.id}`);
    assert.match(links!.qr_code, new RegExp(`^${api.sandbox.url}/api/v2/checkout/${session.id}/hpp_link_qr\\?token=[\\w-]+$`));

    const qr = await api.send('GET', links!.qr_code, {});
    assert.equal(qr.status, 200);
    assert.equal(qr.headers['content-type'], 'image/png');
    assert.equal(qr.raw.subarray(1, 4).toString('ascii'), 'PNG');
    assert.deepEqual([qr.raw.readUInt32BE(16), qr.raw.readUInt32BE(20)], [200, 200]);
    const wrongToken = await api.send('GET', links!.qr_code.replace(/token=.*$/, 'token=guess'), {});
    assert.equal(wrongToken.status, 404);
    assert.equal((await api.send('GET', links!.qr_code.replace(/\?.*$/, ''), {})).status, 400);

    const read = await api.api<Session>('GET', `/api/v2/checkout/${session.id}`);
    assert.equal(read.json.payment.id, session.payment.id);
    assert.equal((await api.api('GET', `/api/v2/checkout/${session.id}`, { headers: { Authorization: '' } })).status, 401);
    const page = await api.send('GET', links!.web_url, {});
    assert.equal(page.status, 200);
    assert.match(page.text, /100\.00 AED/);
  });

  void it('rejects a session above the eligibility limit, without links', async () => {
    assert.equal((await api.create({ amount: '20000.00' })).status, 'created');
    const session = await api.create({ amount: '20000.01' });
    assert.equal(session.status, 'rejected');
    assert.equal(session.payment.status, 'REJECTED');
    assert.deepEqual(session.configuration.available_products, {});
    assert.deepEqual(session.configuration.products.installments, { type: 'installments', is_available: false, rejection_reason: 'order_amount_too_high' });
    assert.equal((await api.payment(session.payment.id)).status, 'REJECTED');
  });

  void it('rejects the next sessions when told to', async () => {
    assert.equal((await api.control('POST', 'eligibility', { reject_next: 2, reason: 'not_available' })).status, 200);
    for (let i = 0; i < 2; i++) {
      const rejected = await api.create();
      assert.equal(rejected.status, 'rejected');
      assert.equal(rejected.configuration.products.installments.rejection_reason, 'not_available');
    }
    assert.equal((await api.create()).status, 'created');
  });

  void it('accepts the currencies and decimals Tabby accepts and refuses the rest', async () => {
    const kwd = await api.create({ amount: '1.234', currency: 'KWD' });
    assert.equal(kwd.payment.amount, '1.234');
    assert.equal((await api.create({ amount: '250', currency: 'SAR' })).payment.amount, '250.00');
    const refused: Record<string, unknown>[] = [
      { amount: '1.2345', currency: 'KWD' },
      { amount: '10.123', currency: 'SAR' },
      { amount: '10.001', currency: 'AED' },
      { amount: '10.00', currency: 'USD' },
      { amount: '1e3' },
      { amount: '-5.00' },
      { amount: '0.00' },
      { amount: 100 },
      { order: {} },
      { attachment: { body: 'latitude=24.47', content_type: 'application/vnd.tabby.v1+json' } },
    ];
    for (const payment of refused) {
      const answer = await api.api('POST', '/api/v2/checkout', { body: sessionBody(payment) });
      assert.equal(answer.status, 400, JSON.stringify(payment));
      assert.equal(answer.json.errorType, 'bad_data');
    }
    const garbage = await api.api('POST', '/api/v2/checkout', { raw: '{"payment":' });
    assert.equal(garbage.status, 400);
    assert.deepEqual(garbage.json, { status: 'error', errorType: 'bad_data', error: 'could not decode request' });
  });

  void it('creates a new session and payment on every call (no idempotency)', async () => {
    const body = sessionBody();
    const first = await api.api<Session>('POST', '/api/v2/checkout', { body });
    const second = await api.api<Session>('POST', '/api/v2/checkout', { body });
    assert.notEqual(first.json.id, second.json.id);
    assert.notEqual(first.json.payment.id, second.json.payment.id);
    const reference = (body.payment as { order: { reference_id: string } }).order.reference_id;
    assert.equal((await api.byReference(reference)).length, 2);
  });
});

void describe('customer and merchant actions', () => {
  void it('auto-captures an approved payment and sends authorized, authorized+capture, closed with the header', async () => {
    const session = await api.create({ amount: '150.50' });
    const approved = await api.approve(session);
    assert.equal(approved.status, 200);
    const payment = await api.payment(session.payment.id);
    assert.equal(payment.status, 'CLOSED');
    assert.ok(payment.closed_at);
    assert.equal(payment.captures.length, 1);
    assert.equal(payment.captures[0]!.amount, '150.50');
    assert.equal(payment.captures[0]!.reference_id, 'auto-capture');
    assert.equal((await api.api<Session>('GET', `/api/v2/checkout/${session.id}`)).json.status, 'approved');

    const hooks = await receiver.await(payment.id, 3);
    assert.deepEqual(hooks.map((hook) => [hook.body.status, hook.body.captures.length]), [['authorized', 0], ['authorized', 1], ['closed', 1]]);
    assert.ok(hooks.every((hook) => hook.headers['x-webhook-secret'] === HOOK_HEADER.value));
    assert.equal(hooks[2]!.body.closed_at, payment.closed_at);
    assert.equal(hooks[0]!.body.closed_at, null);
    assert.deepEqual(hooks[0]!.body.order, { reference_id: payment.order.reference_id });
    assert.equal(hooks[0]!.body.is_expired, false);
    assert.equal(hooks[0]!.body.amount, '150.50');

    const again = await api.control('POST', `sessions/${session.id}/approve`);
    assert.equal(again.status, 409);
    assert.equal(again.json.errorType, 'conflict');
  });

  void it('captures partially and idempotently, closes when the rest is captured', async () => {
    const manual = await sandboxWith({ autoCapture: false, webhooks: [{ url: `${receiver.url}/hooks/manual` }] });
    const session = await manual.create({ amount: '100.00' });
    assert.equal((await manual.approve(session)).status, 200);
    const id = session.payment.id;
    assert.equal((await manual.payment(id)).status, 'AUTHORIZED');

    const partial = await manual.capture(id, '40.00', 'cap-1');
    assert.equal(partial.status, 200);
    assert.equal(partial.json.status, 'AUTHORIZED');
    assert.equal((await manual.capture(id, '40.00', 'cap-1')).json.captures.length, 1, 'a repeated reference_id captures nothing new');
    const sameKeyOtherAmount = await manual.capture(id, '30.00', 'cap-1');
    assert.equal(sameKeyOtherAmount.status, 400);
    assert.equal(sameKeyOtherAmount.json.status, 'error');
    assert.equal((await manual.capture(id, '60.01', 'cap-2')).status, 400, 'more than is left');
    assert.equal((await manual.capture(id, '1.001', 'cap-2')).status, 400, 'three decimals for AED');

    const rest = await manual.capture(id, '60.00', 'cap-2');
    assert.equal(rest.json.status, 'CLOSED');
    assert.ok(rest.json.closed_at);
    assert.deepEqual(rest.json.captures.map((capture) => [capture.reference_id, capture.amount]), [['cap-1', '40.00'], ['cap-2', '60.00']]);
    assert.equal((await manual.capture(id, '60.00', 'cap-2')).status, 200, 'a repeat after closing is still a repeat');
    assert.deepEqual((await manual.capture(id, '1.00', 'cap-3')).json, { status: 'error', errorType: 'bad_data', error: 'could not capture not authorized payments' });
    assert.deepEqual((await manual.api('POST', `/api/v2/payments/${id}/close`)).json, { status: 'error', errorType: 'bad_data', error: 'already closed' });

    const hooks = await receiver.await(id, 4, '/hooks/manual');
    assert.deepEqual(hooks.map((hook) => [hook.body.status, hook.body.captures.length]), [['authorized', 0], ['authorized', 1], ['authorized', 2], ['closed', 2]]);
    assert.equal(hooks[0]!.headers['x-webhook-secret'], undefined, 'no header registered, none sent');
    const actions = (await manual.inspect(id)).actions.map((entry) => `${entry.action}:${entry.status}:${entry.reference_id ?? ''}`);
    assert.deepEqual(actions, [
      'approve:200:',
      'capture:200:cap-1',
      'capture:200:cap-1',
      'capture:400:cap-1',
      'capture:400:cap-2',
      'capture:400:cap-2',
      'capture:200:cap-2',
      'capture:200:cap-2',
      'capture:400:cap-3',
      'close:400:',
    ]);
  });

  void it('closes an authorized payment, releasing what was not captured', async () => {
    const session = await api.authorized();
    const id = session.payment.id;
    await api.capture(id, '25.00', 'part');
    const closed = await api.api<Payment>('POST', `/api/v2/payments/${id}/close`);
    assert.equal(closed.status, 200);
    assert.equal(closed.json.status, 'CLOSED');
    assert.deepEqual(closed.json.captures.map((capture) => capture.amount), ['25.00']);
    const hooks = await receiver.await(id, 3);
    assert.equal(hooks[2]!.body.status, 'closed');
  });

  void it('cancels an unfinished session, and refuses to cancel a finished one', async () => {
    const session = await api.create();
    const cancelled = await api.api('POST', `/api/v2/checkout/${session.id}/cancel`);
    assert.equal(cancelled.status, 200);
    assert.deepEqual(cancelled.json, {});
    assert.equal((await api.payment(session.payment.id)).status, 'EXPIRED');
    const [hook] = await receiver.await(session.payment.id, 1);
    assert.equal(hook!.body.status, 'expired');
    assert.equal(hook!.body.is_expired, true);
    const finalized = { status: 'error', errorType: 'bad_data', error: 'session is finalized' };
    assert.deepEqual((await api.api('POST', `/api/v2/checkout/${session.id}/cancel`)).json, finalized);
    assert.equal((await api.approve(session)).status, 409, 'the customer comes too late');

    const paid = await api.create();
    await api.approve(paid);
    const late = await api.api('POST', `/api/v2/checkout/${paid.id}/cancel`);
    assert.equal(late.status, 400);
    assert.deepEqual(late.json, finalized);
    assert.equal((await api.payment(paid.payment.id)).status, 'CLOSED');
  });

  void it('lets the customer reject or press the cross', async () => {
    const rejected = await api.create();
    assert.equal((await api.control('POST', `sessions/${rejected.id}/reject`)).status, 200);
    assert.equal((await api.payment(rejected.payment.id)).status, 'REJECTED');
    assert.equal((await receiver.await(rejected.payment.id, 1))[0]!.body.status, 'rejected');

    const crossed = await api.create();
    const answer = await api.control<Inspection>('POST', `sessions/${crossed.id}/cancel`);
    assert.equal(answer.json.payment.status, 'EXPIRED');
    assert.equal(answer.json.session_status, 'expired');
    assert.equal((await receiver.await(crossed.payment.id, 1))[0]!.body.status, 'expired');
  });

  void it('updates the order reference only once the customer paid', async () => {
    const session = await api.create();
    const early = await api.api('PUT', `/api/v2/payments/${session.payment.id}`, { body: { order: { reference_id: 'renamed' } } });
    assert.equal(early.status, 400);
    await api.approve(session);
    await receiver.await(session.payment.id, 3);
    const updated = await api.api<Payment>('PUT', `/api/v2/payments/${session.payment.id}`, { body: { order: { reference_id: 'renamed' } } });
    assert.equal(updated.json.order.reference_id, 'renamed');
    const hooks = await receiver.await(session.payment.id, 4);
    assert.deepEqual([hooks[3]!.body.status, hooks[3]!.body.order.reference_id], ['closed', 'renamed']);
  });
});

void describe('session expiry', () => {
  void it('expires a session the customer walked away from', async () => {
    const short = await sandboxWith({ sessionExpirySeconds: 1, webhooks: [{ url: `${receiver.url}/hooks/expiry` }] });
    const session = await short.create();
    const paid = await short.create();
    await short.approve(paid);
    await eventually('EXPIRED', async () => ((await short.payment(session.payment.id)).status === 'EXPIRED' ? true : undefined));
    const [hook] = await receiver.await(session.payment.id, 1, '/hooks/expiry');
    assert.equal(hook!.body.status, 'expired');
    assert.equal(hook!.body.is_expired, true);
    const { actions, reads } = await short.inspect(session.payment.id);
    assert.deepEqual(actions.map((entry) => [entry.action, entry.source, entry.status]), [['expire', 'timer', null]]);
    // Every read is counted: one more read, one more on the counter.
    await short.payment(session.payment.id);
    assert.equal((await short.inspect(session.payment.id)).reads, reads + 1, 'polling is counted');
    assert.equal((await short.payment(paid.payment.id)).status, 'CLOSED', 'a paid session does not expire');
  });
});

void describe('refunds', () => {
  void it('refunds only closed, captured payments, partially, idempotently and at most what was captured', async () => {
    const open = await api.authorized();
    const notClosed = { status: 'error', errorType: 'bad_data', error: 'can not refund payment that has no captures and not closed' };
    assert.deepEqual((await api.refund(open.payment.id, '10.00', 'r-1')).json, notClosed);
    await api.api('POST', `/api/v2/payments/${open.payment.id}/close`);
    assert.deepEqual((await api.refund(open.payment.id, '10.00', 'r-1')).json, notClosed, 'closed without a capture');

    const session = await api.create({ amount: '100.00' });
    await api.approve(session);
    const id = session.payment.id;
    await receiver.await(id, 3);
    const partial = await api.refund(id, '30.00', 'r-1');
    assert.equal(partial.status, 200);
    assert.equal(partial.json.status, 'CLOSED');
    assert.deepEqual(partial.json.refunds.map((refund) => [refund.reference_id, refund.amount, refund.reason]), [['r-1', '30.00', 'returned']]);
    assert.equal((await api.refund(id, '30.00', 'r-1')).json.refunds.length, 1);
    assert.equal((await api.refund(id, '20.00', 'r-1')).status, 400, 'same key, other amount');
    assert.equal((await api.refund(id, '70.01', 'r-2')).status, 400, 'more than is left');
    const full = await api.refund(id, '70.00', 'r-2');
    assert.equal(full.json.status, 'CLOSED');
    assert.equal(full.json.refunds.length, 2);
    assert.equal((await api.refund(id, '0.01', 'r-3')).status, 400);

    const hooks = await receiver.await(id, 5);
    assert.deepEqual(hooks.slice(3).map((hook) => [hook.body.status, hook.body.refunds.length]), [['closed', 1], ['closed', 2]]);
  });
});

void describe('listing payments', () => {
  void it('lists authorized and closed payments by default and filters by status, date and page', async () => {
    const list = await sandboxWith({ webhooks: [] });
    const created = await list.create();
    const captured = await list.create();
    await list.approve(captured);
    const authorized = await list.authorized();
    const cancelled = await list.authorized();
    await list.api('POST', `/api/v2/payments/${cancelled.payment.id}/close`);
    const refunded = await list.create();
    await list.approve(refunded);
    await list.refund(refunded.payment.id, '1.00', 'r');
    const rejected = await list.create();
    await list.control('POST', `sessions/${rejected.id}/reject`);

    const ids = async (query: string) => {
      const answer = await list.api<PaymentList>('GET', `/api/v2/payments${query}`);
      assert.equal(answer.status, 200, answer.text);
      return answer.json.payments.map((payment) => payment.id);
    };
    const id = (session: Session) => session.payment.id;
    assert.deepEqual(await ids(''), [id(refunded), id(cancelled), id(authorized), id(captured)], 'newest first');
    assert.deepEqual(await ids('?status=created'), [id(created)]);
    assert.deepEqual(await ids('?status=new'), [id(authorized)]);
    assert.deepEqual(await ids('?status=captured'), [id(captured)]);
    assert.deepEqual(await ids('?status=cancelled'), [id(cancelled)]);
    assert.deepEqual(await ids('?status=refunded'), [id(refunded)]);
    assert.deepEqual(await ids('?status=rejected,created'), [id(rejected), id(created)]);
    assert.deepEqual(await ids('?status=expired'), []);
    assert.deepEqual(await ids('?created_at__gte=2999-01-01'), []);
    assert.deepEqual(await ids('?created_at__lte=2000-01-01T00:00:00Z'), []);

    const page = await list.api<PaymentList>('GET', '/api/v2/payments?limit=2&offset=1');
    assert.deepEqual(page.json.pagination, { limit: 2, offset: 1, total_count: 4 });
    assert.deepEqual(page.json.payments.map((payment) => payment.id), [id(cancelled), id(authorized)]);
    for (const query of ['?limit=21', '?status=paid', '?offset=-1', '?created_at__gte=yesterday']) {
      assert.deepEqual((await list.api('GET', `/api/v2/payments${query}`)).json, { status: 'error', errorType: 'bad_data', error: 'failed to decode request' });
    }
  });
});

void describe('webhook management', () => {
  void it('registers, lists, reads, updates and deletes webhooks per merchant code', async () => {
    const hooks = await sandboxWith({ webhooks: [] });
    const merchant = (code: string) => ({ 'X-Merchant-Code': code });
    assert.equal((await hooks.api('GET', '/api/v1/webhooks', { headers: merchant(MERCHANT) })).text, 'null');
    const registered = await hooks.api<Webhook>('POST', '/api/v1/webhooks', {
      body: { url: `${receiver.url}/hooks/registered`, header: { title: 'X-Hook', value: 'v1' }, is_test: true },
      headers: merchant(MERCHANT),
    });
    assert.equal(registered.status, 200, registered.text);
    assert.deepEqual(registered.json, { id: registered.json.id, url: `${receiver.url}/hooks/registered`, header: { title: 'X-Hook', value: 'v1' }, is_test: true });
    assert.deepEqual((await hooks.api<Webhook[]>('GET', '/api/v1/webhooks', { headers: merchant(MERCHANT) })).json, [registered.json]);
    assert.equal((await hooks.api('GET', '/api/v1/webhooks', { headers: merchant(OTHER_MERCHANT) })).text, 'null');
    assert.equal((await hooks.api('GET', `/api/v1/webhooks/${registered.json.id}`, { headers: merchant(OTHER_MERCHANT) })).status, 404);
    assert.equal((await hooks.api('POST', '/api/v1/webhooks', { body: { url: 'not a url' }, headers: merchant(MERCHANT) })).json.error, 'bad_request');

    const updated = await hooks.api<Webhook>('PUT', `/api/v1/webhooks/${registered.json.id}`, { body: { url: `${receiver.url}/hooks/updated` }, headers: merchant(MERCHANT) });
    assert.deepEqual(updated.json.header, { title: 'X-Hook', value: 'v1' }, 'the header stays when not sent');
    const session = await hooks.create({}, MERCHANT);
    await hooks.control('POST', `sessions/${session.id}/reject`);
    const [hook] = await receiver.await(session.payment.id, 1, '/hooks/updated');
    assert.equal(hook!.headers['x-hook'], 'v1');
    const otherMerchant = await hooks.create({}, OTHER_MERCHANT);
    await hooks.control('POST', `sessions/${otherMerchant.id}/reject`);
    const later = await hooks.create({}, MERCHANT);
    await hooks.control('POST', `sessions/${later.id}/reject`);
    // Deliveries to one URL go out in order: had the other merchant's been sent here, it would be in by now.
    await receiver.await(later.payment.id, 1, '/hooks/updated');
    assert.deepEqual(receiver.forPayment(otherMerchant.payment.id, '/hooks/updated'), [], "another merchant code's payment is not sent here");

    const deleted = await hooks.api('DELETE', `/api/v1/webhooks/${registered.json.id}`, { headers: merchant(MERCHANT) });
    assert.deepEqual(deleted.json, { status: 'ok' });
    assert.deepEqual((await hooks.api('GET', `/api/v1/webhooks/${registered.json.id}`, { headers: merchant(MERCHANT) })).json, {
      status: 'error',
      errorType: 'not_found',
      error: 'no such webhook',
    });
    for (let i = 0; i < 4; i++) {
      assert.equal((await hooks.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hooks/n${i}` }, headers: merchant(MERCHANT) })).status, 200);
    }
    assert.equal((await hooks.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hooks/n5` }, headers: merchant(MERCHANT) })).status, 400, 'at most 4');
  });
});

void describe('webhook delivery faults', () => {
  void it('retries a webhook the receiver did not acknowledge with 200', async () => {
    const registered = await api.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hooks/retry` }, headers: { 'X-Merchant-Code': OTHER_MERCHANT } });
    assert.equal(registered.status, 200);
    receiver.answers.set('/hooks/retry', [500, 204]);
    const session = await api.create({}, OTHER_MERCHANT);
    await api.control('POST', `sessions/${session.id}/reject`);
    const hooks = await receiver.await(session.payment.id, 3, '/hooks/retry');
    assert.ok(hooks.every((hook) => hook.body.status === 'rejected'));
    const log = (await api.control<WebhookAttempt[]>('GET', 'webhooks')).json.filter(
      (entry) => entry.payment_id === session.payment.id && entry.url.endsWith('/hooks/retry'),
    );
    assert.deepEqual(log.map((entry) => [entry.event, entry.attempt, entry.status]), [['rejected', 1, 500], ['rejected', 2, 204], ['rejected', 3, 200]]);
  });

  void it('duplicates the next webhooks', async () => {
    assert.equal((await api.control('POST', 'webhooks/duplicate', { times: 2 })).status, 204);
    const session = await api.create();
    await api.approve(session);
    const hooks = await receiver.await(session.payment.id, 5);
    assert.deepEqual(hooks.map((hook) => [hook.body.status, hook.body.captures.length]), [
      ['authorized', 0],
      ['authorized', 0],
      ['authorized', 1],
      ['authorized', 1],
      ['closed', 1],
    ]);
    const log = (await api.control<WebhookAttempt[]>('GET', 'webhooks')).json.filter((entry) => entry.payment_id === session.payment.id);
    assert.deepEqual(log.map((entry) => entry.duplicate), [false, true, false, true, false]);
  });

  void it('holds the next webhook back and delivers it after the following one', async () => {
    assert.equal((await api.control('POST', 'webhooks/reorder', { times: 1 })).status, 204);
    const session = await api.create();
    await api.approve(session);
    const hooks = await receiver.await(session.payment.id, 3);
    assert.deepEqual(hooks.map((hook) => [hook.body.status, hook.body.captures.length]), [['authorized', 1], ['authorized', 0], ['closed', 1]]);
  });
});

void describe('faults', () => {
  const fault = (body: Record<string, unknown>) => api.control<{ id: string }>('POST', 'faults', body);
  /** Starts a create whose outcome the test inspects by its order reference. */
  const createFresh = () => {
    const body = sessionBody();
    const reference = (body.payment as { order: { reference_id: string } }).order.reference_id;
    return { body, reference, answer: api.api<Session>('POST', '/api/v2/checkout', { body }) };
  };
  afterEach(async () => {
    await api.control('DELETE', 'faults');
  });

  void it('answers error statuses in Tabby shapes without creating anything', async () => {
    const expected: [string, number, string | TabbyError][] = [
      ['status_500', 500, 'Internal Server error'],
      ['status_503', 503, 'Service Unavailable'],
      ['status_400', 400, { status: 'error', errorType: 'bad_data', error: 'bad_request' }],
      ['status_401', 401, { status: 'error', errorType: 'not_authorized', error: 'authorization' }],
    ];
    for (const [kind, status, body] of expected) {
      assert.equal((await fault({ method: 'POST', path_pattern: '^/api/v2/checkout$', fault: kind })).status, 201);
      const { reference, answer } = createFresh();
      const answered = await answer;
      assert.equal(answered.status, status);
      assert.deepEqual(typeof body === 'string' ? answered.text : answered.json, body);
      assert.match(String(answered.headers['x-sandbox-fault']), /^fault-\d+$/);
      assert.deepEqual(await api.byReference(reference), [], `${kind} creates nothing`);
    }
  });

  void it('delays an answer', async () => {
    const session = await api.create();
    await fault({ method: 'GET', path_pattern: '^/api/v2/payments/', fault: 'delay', delay_ms: 300 });
    const started = performance.now();
    assert.equal((await api.payment(session.payment.id)).status, 'CREATED');
    // One monotonic clock; libuv's millisecond loop clock may fire a timer up to 1 ms early against it.
    assert.ok(performance.now() - started >= 299, `answered after ${performance.now() - started} ms`);
  });

  void it('drops a request without processing it', async () => {
    await fault({ method: 'POST', path_pattern: '^/api/v2/checkout$', fault: 'drop' });
    const { reference, answer } = createFresh();
    await assert.rejects(answer);
    assert.deepEqual(await api.byReference(reference), []);
  });

  void it('creates a session and then loses the answer; a retry creates another', async () => {
    await fault({ method: 'POST', path_pattern: '^/api/v2/checkout$', fault: 'commit_then_drop' });
    const { body, reference, answer } = createFresh();
    await assert.rejects(answer);
    const [orphan] = await api.byReference(reference);
    assert.equal(orphan!.payment.status, 'CREATED');
    assert.equal((await api.api('POST', '/api/v2/checkout', { body })).status, 200);
    assert.equal((await api.byReference(reference)).length, 2);
  });

  void it('cuts answers short after committing', async () => {
    const session = await api.authorized();
    await fault({ method: 'GET', path_pattern: `/payments/${session.payment.id}$`, fault: 'incomplete_body' });
    await assert.rejects(api.payment(session.payment.id));
    await fault({ method: 'POST', path_pattern: '/captures$', fault: 'incomplete_body' });
    await assert.rejects(api.capture(session.payment.id, '100.00', 'cut'));
    assert.equal((await api.payment(session.payment.id)).status, 'CLOSED', 'the capture was committed before the answer was cut');
  });

  void it('creates a session but leaves its links out of the answer (incomplete_session)', async () => {
    const earlier = await api.create();
    await fault({ path_pattern: '.*', fault: 'incomplete_session' });
    await api.payment(earlier.payment.id);
    assert.equal((await api.control<unknown[]>('GET', 'faults')).json.length, 1, 'only a session create uses the fault up');

    const { reference, answer } = createFresh();
    const incomplete = (await answer).json;
    assert.equal(incomplete.status, 'created');
    assert.equal(incomplete.payment.status, 'CREATED');
    assert.deepEqual(incomplete.configuration.available_products, {});
    assert.equal((await api.control<unknown[]>('GET', 'faults')).json.length, 0);
    const [stored] = await api.byReference(reference);
    assert.equal(stored!.payment.id, incomplete.payment.id);
    assert.ok(stored!.links, 'the session itself has links; only the answer lacked them');
  });

  void it('consumes a fault the given number of times, and clears faults', async () => {
    const session = await api.create();
    await fault({ path_pattern: '^/api/v2/payments/', fault: 'status_503', times: 2 });
    const status = async () => (await api.api('GET', `/api/v2/payments/${session.payment.id}`)).status;
    assert.deepEqual([await status(), await status(), await status()], [503, 503, 200]);
    await fault({ path_pattern: '^/api/v2/payments/', fault: 'status_503' });
    assert.equal((await api.control<unknown[]>('GET', 'faults')).json.length, 1);
    assert.equal((await api.control('DELETE', 'faults')).status, 204);
    assert.equal(await status(), 200);
    assert.equal((await fault({ path_pattern: '(', fault: 'drop' })).status, 400);
  });
});

void describe('reset', () => {
  void it('forgets payments, registered webhooks and forced rejections', async () => {
    const fresh = await sandboxWith();
    const session = await fresh.create();
    await fresh.control('POST', 'eligibility', { reject_next: 5 });
    await fresh.api('POST', '/api/v1/webhooks', { body: { url: `${receiver.url}/hooks/extra` }, headers: { 'X-Merchant-Code': MERCHANT } });
    assert.equal((await fresh.control('POST', 'reset')).status, 204);
    assert.equal((await fresh.api('GET', `/api/v2/payments/${session.payment.id}`)).status, 404);
    assert.equal((await fresh.create()).status, 'created');
    const hooks = (await fresh.api<Webhook[]>('GET', '/api/v1/webhooks', { headers: { 'X-Merchant-Code': MERCHANT } })).json;
    assert.deepEqual(hooks.map((hook) => hook.url), [`${receiver.url}/hooks/main`]);
  });
});
