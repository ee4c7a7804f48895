/**
 * The Settle sandbox over real HTTP: authentication, the payment request state machine,
 * idempotency, expiry, signed callbacks and every injected fault. Callbacks land on a small
 * receiver that verifies their signatures exactly as our webhook will.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, afterEach, before, describe, it } from 'node:test';
import { request } from 'undici';
import { signRequest, verifyRequest } from '../../activities/settle/signature';
import { startSettleSandbox, type RunningSettleSandbox, type SettleSandboxConfig } from '../../src/sandboxes/settle';
import type { CallbackAttempt, CallbackMessage } from '../../src/sandboxes/settle/callbacks';
import type { Inspection } from '../../src/sandboxes/settle/control-routes';
import type { SettleError } from '../../src/sandboxes/settle/errors';
import type { SettleOutcome } from '../../src/sandboxes/settle/outcome';
import { eventually } from '../support/http';
import { RecordingServer } from '../support/recording-server';

function keyPair() {
  return generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
}

const userKeys = keyPair();
const settleKeys = keyPair();
const MERCHANT = 'merchant1';
const USER = 'pos-user';
const SECRET = 's3cret';

interface ReceivedCallback {
  path: string;
  verified: boolean;
  body: { meta: CallbackMessage['meta']; object: Record<string, unknown> };
}

/** Records every callback and whether its signature verifies against the sandbox's public key. */
class CallbackReceiver {
  readonly received: ReceivedCallback[] = [];
  /** Statuses to answer per path, in order; 200 once exhausted. */
  readonly answers = new Map<string, number[]>();
  url = '';

  private readonly http = new RecordingServer((request) => {
    const check = verifyRequest({ method: 'POST', url: `${this.url}${request.path}`, rawBody: request.body, headers: request.headers }, settleKeys.publicKey);
    this.received.push({ path: request.path, verified: check.ok, body: JSON.parse(request.body.toString('utf8')) });
    return { status: this.answers.get(request.path)?.shift() ?? 200 };
  });

  async start(): Promise<void> {
    this.url = await this.http.start();
  }

  events(path: string): ReceivedCallback[] {
    return this.received.filter((callback) => callback.path === path);
  }

  stop(): Promise<void> {
    return this.http.stop();
  }
}

type Auth = 'secret' | 'rsa' | { authorization: string } | 'none';

interface Answer<T> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  json: T;
}

interface Created {
  id: string;
  uri: null;
}

class Client {
  constructor(readonly sandbox: RunningSettleSandbox) {}

  /** A merchant API call; `path` is relative to /merchant/v1/. */
  async merchant<T = SettleError>(
    method: 'GET' | 'POST' | 'PUT',
    path: string,
    body?: unknown,
    auth: Auth = 'secret',
    tamper?: (body: string) => string,
  ): Promise<Answer<T>> {
    const url = `${this.sandbox.merchantApiBase}${path}`;
    const text = body === undefined ? '' : JSON.stringify(body);
    const identity = { 'X-Settle-Merchant': MERCHANT, 'X-Settle-User': USER };
    const headers: Record<string, string> =
      auth === 'rsa'
        ? signRequest({ method, url, body: text, identity, privateKeyPem: userKeys.privateKey, now: new Date() })
        : auth === 'secret'
          ? { ...identity, Authorization: `SECRET ${SECRET}` }
          : auth === 'none'
            ? {}
            : { ...identity, Authorization: auth.authorization };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const sent = tamper ? tamper(text) : text;
    return this.send<T>(method, url, headers, body === undefined ? undefined : sent);
  }

  async control<T = SettleError>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<Answer<T>> {
    const headers: Record<string, string> = body === undefined ? {} : { 'Content-Type': 'application/json' };
    return this.send<T>(method, `${this.sandbox.url}/_sandbox/${path}`, headers, body === undefined ? undefined : JSON.stringify(body));
  }

  private async send<T>(method: string, url: string, headers: Record<string, string>, body: string | undefined): Promise<Answer<T>> {
    const response = await request(url, { method: method as 'GET', headers, body });
    const text = await response.body.text();
    return { status: response.statusCode, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
  }

  async create(overrides: Record<string, unknown> = {}): Promise<string> {
    const answer = await this.merchant<Created>('POST', 'payment_request/', paymentRequest(overrides));
    assert.equal(answer.status, 201, JSON.stringify(answer.json));
    return answer.json.id;
  }

  async outcome(tid: string): Promise<SettleOutcome> {
    const answer = await this.merchant<SettleOutcome>('GET', `payment_request/${tid}/outcome/`);
    assert.equal(answer.status, 200);
    return answer.json;
  }

  async authorized(overrides: Record<string, unknown> = {}): Promise<string> {
    const tid = await this.create(overrides);
    assert.equal((await this.control('POST', `payment_requests/${tid}/approve`)).status, 200);
    return tid;
  }

  async inspect(tid: string): Promise<Inspection> {
    return (await this.control<Inspection>('GET', `payment_requests/${tid}`)).json;
  }

  async list(posTid?: string): Promise<Inspection[]> {
    return (await this.control<Inspection[]>('GET', `payment_requests${posTid === undefined ? '' : `?pos_tid=${posTid}`}`)).json;
  }
}

let posTidCounter = 0;
function paymentRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    action: 'SALE',
    amount: 2000,
    additional_amount: 0,
    allow_credit: false,
    currency: 'NOK',
    customer: '4798765432',
    pos_id: 'till-1',
    pos_tid: `sale-${++posTidCounter}`,
    ...overrides,
  };
}

const receiver = new CallbackReceiver();
const sandboxes: RunningSettleSandbox[] = [];

async function sandboxWith(overrides: Partial<SettleSandboxConfig> = {}): Promise<Client> {
  const sandbox = await startSettleSandbox({
    merchantId: MERCHANT,
    userId: USER,
    secret: SECRET,
    userPublicKeyPem: userKeys.publicKey,
    callbackPrivateKeyPem: settleKeys.privateKey,
    shortlinks: [{ id: 'till1QR', callbackUri: `${receiver.url}/scans` }],
    ...overrides,
  });
  sandboxes.push(sandbox);
  return new Client(sandbox);
}

let api: Client;

before(async () => {
  await receiver.start();
  api = await sandboxWith();
});

afterEach(async () => {
  await api.control('POST', 'reset');
});

after(async () => {
  await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  await receiver.stop();
});

void describe('authentication', () => {
  void it('accepts the shared secret and refuses a wrong one', async () => {
    assert.equal((await api.merchant('GET', 'shortlink/')).status, 200);
    const wrong = await api.merchant('GET', 'shortlink/', undefined, { authorization: 'SECRET nope' });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.json.error_type, 'Unauthorized');
  });

  void it('answers the documented 400 when the merchant header is missing', async () => {
    const answer = await api.merchant('GET', 'shortlink/', undefined, 'none');
    assert.equal(answer.status, 400);
    assert.deepEqual(answer.json, { error_type: 'Unauthorized', error_description: 'No X-Auka-Merchant header value', error_detail: null });
  });

  void it('accepts an RSA-signed request and refuses a bad signature with the string to sign', async () => {
    const ok = await api.merchant('POST', 'payment_request/', paymentRequest(), 'rsa');
    assert.equal(ok.status, 201);
    const forged = signRequest({
      method: 'GET',
      url: `${api.sandbox.merchantApiBase}shortlink/`,
      body: '',
      identity: { 'X-Settle-Merchant': MERCHANT, 'X-Settle-User': USER },
      privateKeyPem: settleKeys.privateKey,
      now: new Date(),
    });
    const answer = await request(`${api.sandbox.merchantApiBase}shortlink/`, { headers: forged });
    const body = (await answer.body.json()) as SettleError & { error_detail: { string_to_sign: string } };
    assert.equal(answer.statusCode, 401);
    assert.equal(body.error_description, 'Invalid signature');
    assert.match(body.error_detail.string_to_sign, /^GET\|http:\/\/127\.0\.0\.1:\d+\/merchant\/v1\/shortlink\/\|X-SETTLE-CONTENT-DIGEST=SHA256=.*&X-SETTLE-MERCHANT=merchant1&X-SETTLE-TIMESTAMP=.*&X-SETTLE-USER=pos-user$/);
  });

  void it('refuses a body that does not match its signed digest', async () => {
    const answer = await api.merchant('POST', 'payment_request/', paymentRequest(), 'rsa', (body) => body.replace('2000', '1'));
    assert.equal(answer.status, 401);
    assert.match(answer.json.error_description, /digest/i);
    assert.deepEqual(await api.list(), []);
  });

  void it('requires the KEY level for refunds', async () => {
    const tid = await api.authorized();
    assert.equal((await api.merchant('PUT', `payment_request/${tid}/`, { action: 'capture' })).status, 204);
    const withSecret = await api.merchant('PUT', `payment_request/${tid}/`, { action: 'refund' });
    assert.equal(withSecret.status, 401);
    assert.deepEqual((await api.outcome(tid)).refunds, []);
    const withKey = await api.merchant('PUT', `payment_request/${tid}/`, { action: 'REFUND' }, 'rsa');
    assert.equal(withKey.status, 204);
    assert.deepEqual((await api.outcome(tid)).refunds, [{ id: null, amount: 2000, additional_amount: 0 }]);
  });
});

void describe('creating payment requests', () => {
  void it('is idempotent on pos_id and pos_tid', async () => {
    const body = paymentRequest();
    const first = await api.merchant<Created>('POST', 'payment_request/', body);
    assert.equal(first.status, 201);
    assert.match(first.json.id, /^[a-z0-9]{12}$/);
    assert.equal(first.json.uri, null);
    assert.equal(first.headers.location, `${api.sandbox.merchantApiBase}payment_request/${first.json.id}/`);

    const repeat = await api.merchant<Created>('POST', 'payment_request/', { ...body, action: 'sale' });
    assert.equal(repeat.status, 200);
    assert.equal(repeat.json.id, first.json.id);

    const different = await api.merchant('POST', 'payment_request/', { ...body, amount: 2500 });
    assert.equal(different.status, 409);
    assert.equal((await api.list(String(body.pos_tid))).length, 1);
  });

  void it('answers validation errors in Settle shape', async () => {
    const answer = await api.merchant('POST', 'payment_request/', paymentRequest({ amount: 0, pos_tid: 'bad tid', allow_credit: undefined }));
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error_type, 'validation_error');
    assert.deepEqual(Object.keys(answer.json.error_details ?? {}).sort(), ['allow_credit', 'amount', 'pos_tid']);
  });

  void it('returns the request as created, its outcome, and 404 for unknown tids', async () => {
    const tid = await api.create({ text: 'Coffee', callback_uri: `${receiver.url}/cb` });
    const created = await api.merchant<Record<string, unknown>>('GET', `payment_request/${tid}/`);
    assert.equal(created.json.text, 'Coffee');
    assert.equal(created.json.amount, 2000);
    const outcome = await api.outcome(tid);
    assert.equal(outcome.status, 'pending');
    assert.equal(outcome.status_code, 1003);
    assert.equal(outcome.auth_amount, 0);
    assert.match(outcome.date_expires ?? '', /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal((await api.merchant('GET', 'payment_request/nosuchtid000/outcome/')).status, 404);
  });

  void it('fails an unknown scan token as 4004', async () => {
    const tid = await api.create({ customer: 'token:123' });
    assert.equal((await api.outcome(tid)).status_code, 4004);
  });
});

void describe('customer and merchant actions', () => {
  void it('sends a signed payment_authorized callback with the outcome', async () => {
    const tid = await api.authorized({ callback_uri: `${receiver.url}/cb/authorized` });
    const outcome = await api.outcome(tid);
    assert.equal(outcome.status_code, 3008);
    assert.equal(outcome.auth_amount, 2000);
    const [callback] = await eventually('payment_authorized callback', () => {
      const found = receiver.events('/cb/authorized');
      return found.length > 0 ? found : undefined;
    });
    assert.ok(callback!.verified, 'callback signature verifies with the sandbox public key');
    assert.equal(callback!.body.meta.event, 'payment_authorized');
    assert.equal(callback!.body.meta.uri, `${api.sandbox.merchantApiBase}payment_request/${tid}/outcome/`);
    assert.equal(callback!.body.object.status_code, 3008);
    assert.equal(callback!.body.object.tid, tid);
  });

  void it('captures in full once, however often the capture is repeated', async () => {
    const tid = await api.authorized();
    assert.equal((await api.merchant('PUT', `payment_request/${tid}/`, { action: 'CAPTURE' })).status, 204);
    assert.equal((await api.merchant('PUT', `payment_request/${tid}/`, { action: 'capture' })).status, 204);
    const outcome = await api.outcome(tid);
    assert.equal(outcome.status_code, 2000);
    assert.deepEqual(outcome.captures, [{ id: null, amount: 2000, additional_amount: 0 }]);
    assert.equal(outcome.auth_amount, 0);
    const aborted = await api.merchant('PUT', `payment_request/${tid}/`, { action: 'abort' });
    assert.equal(aborted.status, 409);
    assert.equal(aborted.json.error_type, 'illegal_state');
    const actions = (await api.inspect(tid)).actions.map((entry) => `${entry.action}:${entry.result}`);
    assert.deepEqual(actions, ['approve:200', 'capture:204', 'capture:204', 'abort:409']);
  });

  void it('captures partially, releases the rest, and refunds with idempotent refund ids', async () => {
    const tid = await api.authorized();
    const put = (body: Record<string, unknown>, auth: Auth = 'secret') => api.merchant('PUT', `payment_request/${tid}/`, body, auth);
    assert.equal((await put({ action: 'capture', amount: 1500 })).status, 400);
    assert.equal((await put({ action: 'capture', amount: 2500, additional_amount: 0, currency: 'NOK', capture_id: 'c1' })).status, 409);
    const partial = { action: 'capture', amount: 1500, additional_amount: 0, currency: 'NOK', capture_id: 'c1' };
    assert.equal((await put(partial)).status, 204);
    assert.equal((await put(partial)).status, 204);
    assert.equal((await put({ ...partial, capture_id: 'c2' })).status, 409);
    let outcome = await api.outcome(tid);
    assert.equal(outcome.status_code, 2000);
    assert.equal(outcome.auth_amount, 0);
    assert.deepEqual(outcome.captures, [{ id: 'c1', amount: 1500, additional_amount: 0 }]);

    const refund = { action: 'refund', amount: 1000, additional_amount: 0, currency: 'NOK', refund_id: 'r1' };
    assert.equal((await put(refund, 'rsa')).status, 204);
    assert.equal((await put(refund, 'rsa')).status, 204);
    const tooMuch = await put({ ...refund, refund_id: 'r2', amount: 600 }, 'rsa');
    assert.equal(tooMuch.status, 409);
    assert.equal(tooMuch.json.error_type, 'refund_exceeds');
    assert.equal((await put({ action: 'refund' }, 'rsa')).status, 204);
    outcome = await api.outcome(tid);
    assert.equal(outcome.status_code, 2000);
    assert.deepEqual(outcome.refunds, [
      { id: 'r1', amount: 1000, additional_amount: 0 },
      { id: null, amount: 500, additional_amount: 0 },
    ]);
  });

  void it('aborts, releases, rejects and refuses illegal actions', async () => {
    const pending = await api.create({ callback_uri: `${receiver.url}/cb/abort` });
    assert.equal((await api.merchant('PUT', `payment_request/${pending}/`, { action: 'capture' })).status, 409);
    assert.equal((await api.merchant('PUT', `payment_request/${pending}/`, { action: 'abort' })).status, 204);
    assert.equal((await api.merchant('PUT', `payment_request/${pending}/`, { action: 'ABORT' })).status, 204);
    assert.equal((await api.merchant('PUT', `payment_request/${pending}/`, { action: 'release' })).status, 409);
    assert.equal((await api.outcome(pending)).status_code, 4019);
    assert.equal((await api.control('POST', `payment_requests/${pending}/approve`)).status, 409);
    await eventually('payment_aborted_by_merchant', () =>
      receiver.events('/cb/abort').find((callback) => callback.body.meta.event === 'payment_aborted_by_merchant'),
    );

    const authorized = await api.authorized();
    assert.equal((await api.merchant('PUT', `payment_request/${authorized}/`, { action: 'release' })).status, 204);
    assert.equal((await api.merchant('PUT', `payment_request/${authorized}/`, { action: 'release' })).status, 204);
    assert.equal((await api.outcome(authorized)).status_code, 4019);

    const rejected = await api.create();
    assert.equal((await api.control('POST', `payment_requests/${rejected}/reject`)).status, 200);
    assert.equal((await api.outcome(rejected)).status_code, 5006);
  });
});

void describe('shortlinks', () => {
  void it('reports scans and pays with the scan token (dynamic QR)', async () => {
    const scan = await api.control<{ token: string }>('POST', 'shortlinks/till1QR/scan', { argstring: 'till-1' });
    assert.match(scan.json.token, /^token:\d+$/);
    const callback = await eventually('shortlink_scanned', () => receiver.events('/scans').find((c) => c.body.object.id === scan.json.token));
    assert.ok(callback.verified);
    assert.equal(callback.body.meta.event, 'shortlink_scanned');
    assert.equal(callback.body.meta.uri, null);
    assert.equal(callback.body.object.argstring, 'till-1');
    const tid = await api.create({ customer: scan.json.token });
    assert.equal((await api.control('POST', `payment_requests/${tid}/approve`)).status, 200);
  });

  void it('waits for the next scan on a static QR', async () => {
    const created = await api.merchant<{ id: string }>('POST', 'shortlink/', { callback_uri: null });
    assert.equal(created.status, 201);
    const id = created.json.id;
    assert.equal((await api.merchant<{ shortlink_value: string }>('GET', `shortlink/${id}/`)).json.shortlink_value, `http://settle.eu/s/${id}/`);
    const tid = await api.create({ customer: `shortlink_id:${id}` });
    const early = await api.control('POST', `payment_requests/${tid}/approve`);
    assert.equal(early.status, 409);
    assert.equal(early.json.error_type, 'customer_not_reached');
    await api.control('POST', `shortlinks/${id}/scan`, {});
    assert.equal((await api.control('POST', `payment_requests/${tid}/approve`)).status, 200);
  });

  void it('gives a static-QR request a scan made within max_scan_age', async () => {
    const scan = await api.control<{ token: string }>('POST', 'shortlinks/till1QR/scan', {});
    const tid = await api.create({ customer: 'shortlink_id:till1QR', max_scan_age: 60 });
    const inspected = await api.inspect(tid);
    assert.equal(inspected.scan_token, scan.json.token);
    assert.equal(inspected.customer_reached, true);
    assert.equal((await api.control('POST', `payment_requests/${tid}/approve`)).status, 200);
  });
});

void describe('expiry', () => {
  void it('expires a pending request after expires_in', async () => {
    const tid = await api.create({ expires_in: 1, callback_uri: `${receiver.url}/cb/expired` });
    await eventually('5011', async () => ((await api.outcome(tid)).status_code === 5011 ? true : undefined));
    const callback = await eventually('payment_request_expired', () => receiver.events('/cb/expired')[0]);
    assert.equal(callback.body.meta.event, 'payment_request_expired');
  });

  void it('expires an authorization after its validity, later when reauthorized', async () => {
    const short = await sandboxWith({ authValiditySeconds: 1 });
    const tid = await short.authorized({ callback_uri: `${receiver.url}/cb/auth-expiry` });
    const before = (await short.outcome(tid)).date_expires!;
    assert.equal((await short.merchant('PUT', `payment_request/${tid}/`, { action: 'reauth' })).status, 204);
    const renewed = (await short.outcome(tid)).date_expires!;
    assert.equal(Date.parse(`${renewed}Z`) - Date.parse(`${before}Z`), 1_000);
    await eventually('5012', async () => ((await short.outcome(tid)).status_code === 5012 ? true : undefined));
    const { actions } = await short.inspect(tid);
    const at = (action: string) => Date.parse(actions.find((entry) => entry.action === action)!.at);
    assert.ok(at('expire') - at('approve') >= 1_900, 'the reauth pushed the expiry one validity period further');
    const events = await eventually('payment_authorization_expired', () => {
      const names = receiver.events('/cb/auth-expiry').map((callback) => callback.body.meta.event);
      return names.includes('payment_authorization_expired') ? names : undefined;
    });
    assert.deepEqual(events.sort(), ['payment_authorization_expired', 'payment_authorization_renewed', 'payment_authorized']);
  });
});

void describe('faults', () => {
  const fault = (body: Record<string, unknown>) => api.control('POST', 'faults', body);

  void it('answers 500 and 503 without changing anything', async () => {
    assert.equal((await fault({ method: 'POST', path_pattern: '^/merchant/v1/payment_request/$', fault: 'status_500' })).status, 201);
    await fault({ method: 'POST', path_pattern: '^/merchant/v1/payment_request/$', fault: 'status_503' });
    const body = paymentRequest();
    const first = await api.merchant('POST', 'payment_request/', body);
    assert.equal(first.status, 500);
    assert.equal(first.json.error_type, 'server_error');
    assert.equal((await api.merchant('POST', 'payment_request/', body)).status, 503);
    assert.deepEqual(await api.list(), []);
    assert.equal((await api.merchant('POST', 'payment_request/', body)).status, 201);
  });

  void it('delays an answer', async () => {
    await fault({ method: 'GET', path_pattern: '/outcome/$', fault: 'delay', delay_ms: 300 });
    const tid = await api.create();
    const started = performance.now();
    assert.equal((await api.outcome(tid)).status_code, 1003);
    // One monotonic clock; libuv's millisecond loop clock may fire a timer up to 1 ms early against it.
    assert.ok(performance.now() - started >= 299, `answered after ${performance.now() - started} ms`);
  });

  void it('drops a request without processing it', async () => {
    await fault({ method: 'POST', path_pattern: '^/merchant/v1/payment_request/$', fault: 'drop' });
    await assert.rejects(api.merchant('POST', 'payment_request/', paymentRequest()));
    assert.deepEqual(await api.list(), []);
  });

  void it('commits a request and then loses the answer', async () => {
    await fault({ method: 'POST', path_pattern: '^/merchant/v1/payment_request/$', fault: 'commit_then_drop' });
    const body = paymentRequest();
    await assert.rejects(api.merchant('POST', 'payment_request/', body));
    const [stored] = await api.list(String(body.pos_tid));
    const retry = await api.merchant<Created>('POST', 'payment_request/', body);
    assert.equal(retry.status, 200);
    assert.equal(retry.json.id, stored!.tid);
  });

  void it('cuts answers short, with or without a body', async () => {
    const tid = await api.authorized();
    await fault({ method: 'GET', path_pattern: '/outcome/$', fault: 'incomplete_body' });
    await assert.rejects(api.outcome(tid));
    await fault({ method: 'PUT', path_pattern: `/payment_request/${tid}/$`, fault: 'incomplete_body' });
    await assert.rejects(api.merchant('PUT', `payment_request/${tid}/`, { action: 'capture' }));
    assert.equal((await api.outcome(tid)).status_code, 2000, 'the capture was committed before the answer was cut');
  });

  void it('consumes a fault the given number of times and clears faults', async () => {
    await fault({ path_pattern: '^/merchant/v1/shortlink/$', fault: 'status_503', times: 2 });
    assert.equal((await api.merchant('GET', 'shortlink/')).status, 503);
    assert.equal((await api.merchant('GET', 'shortlink/')).status, 503);
    assert.equal((await api.merchant('GET', 'shortlink/')).status, 200);
    await fault({ path_pattern: '^/merchant/v1/shortlink/$', fault: 'status_503' });
    assert.equal((await api.control('DELETE', 'faults')).status, 204);
    assert.equal((await api.merchant('GET', 'shortlink/')).status, 200);
  });

  void it('duplicates callbacks and retries them after a 5xx', async () => {
    await api.control('POST', 'callbacks/duplicate', { times: 1 });
    receiver.answers.set('/cb/duplicate', [500]);
    const tid = await api.authorized({ callback_uri: `${receiver.url}/cb/duplicate` });
    const delivered = await eventually('two deliveries of one message', () => {
      const found = receiver.events('/cb/duplicate').filter((callback) => callback.body.meta.event === 'payment_authorized');
      return found.length === 3 ? found : undefined;
    });
    assert.equal(new Set(delivered.map((callback) => callback.body.meta.id)).size, 1);
    const attempts = (await api.control<CallbackAttempt[]>('GET', 'callbacks')).json;
    assert.deepEqual(attempts.map((attempt) => attempt.status).sort(), [200, 200, 500]);
    assert.ok(attempts.every((attempt) => attempt.tid === tid));
  });
});
