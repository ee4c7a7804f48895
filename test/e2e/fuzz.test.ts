/**
 * Bad input is 4xx, always (issue 10, item 3). A few thousand generated bad requests — bad or
 * missing auth, malformed JSON, wrong types, huge values, unknown fields, bad ids in paths, bad query
 * strings and cursors, wrong methods and content types, webhooks with bad signatures or bodies — go
 * to every route (those of `/openapi.json` and the operations endpoints). Asserted: no 5xx ever;
 * every error is `application/problem+json` with `type`, `title`, `status` and `code`; and not one
 * workflow was started. Generation is deterministic (a seeded PRNG); a few requests run at a time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { request } from 'undici';
import { IDEMPOTENCY_KEY_WORKFLOW_TYPE, TERMINAL_WORKFLOW_TYPE, WORKFLOW_TYPE } from '../../workflows/messages';
import { useStack } from '../support/e2e-stack';
import { eventually } from '../support/http';
import { newTid } from '../support/pos';

const e2e = useStack();
const SEED = 0x15_5e_10;
const REQUESTS = 3000;
const AT_ONCE = 6;
/** Workflows a request can start: payments, Idempotency-Key claims, terminals (not the housekeeping watchers). */
const STARTABLE = `WorkflowType = '${WORKFLOW_TYPE}' OR WorkflowType = '${IDEMPOTENCY_KEY_WORKFLOW_TYPE}' OR WorkflowType = '${TERMINAL_WORKFLOW_TYPE}'`;

/** mulberry32: a small deterministic PRNG, so a failure names a seed and an index that reproduce it. */
class Random {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  pick<T>(values: readonly T[]): T {
    return values[this.int(values.length)]!;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  text(length: number, alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.:!*\'"{}[]<>\\/ '): string {
    let out = '';
    for (let index = 0; index < length; index += 1) out += alphabet[this.int(alphabet.length)];
    return out;
  }
}

interface FuzzRequest {
  /** The route template (as `/openapi.json` names it, or the operations path) this request aims at. */
  route: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** What is wrong with it, for the failure message. */
  why: string;
}

const GOOD_KEYS = ['key-a', 'key-b'];
const BAD_AUTH: (Record<string, string> | null)[] = [
  null,
  { authorization: '' },
  { authorization: 'Bearer' },
  { authorization: 'Bearer ' },
  { authorization: 'Bearer wrong-key' },
  { authorization: 'bearer key-a' },
  { authorization: 'Basic a2V5LWE6' },
  // (A trailing space is no bad key: HTTP strips it from the header value, so `Bearer key-a ` is key-a.)
  { authorization: 'Bearer  key-a' },
  { authorization: 'Bearer key-a, Bearer key-b' },
  { authorization: `Bearer ${'k'.repeat(8000)}` },
  { authorization: 'Token key-a' },
  { 'x-api-key': 'key-a' },
];
const MALFORMED_JSON = ['{', '{"provider":', '{"a":1,}', "{'a':1}", 'nul', 'tru', '{"amount":01}', '{"a":"\\x"}', '\u0000', '{"a":NaN}', '{}{}', '"unterminated', '{"a":[1,2}'];
const NON_OBJECT_JSON = ['null', '[]', '[{}]', '"text"', '42', 'true', '-0', '1e999'];
const WRONG_CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/json', 'application/octet-stream', 'image/png'];
const BAD_IDS = [
  'nope', 'pay', 'pay:m-a', 'pay:m-a:till-1', 'pay:m-a:a:b:c', 'pay:m-b:till-4:x', 'pay::till:x', 'PAY:m-a:till-1:x',
  '%00', '%E0%A4%A', '%zz', '%2e%2e%2f%2e%2e', '..', encodeURIComponent('pay:m-a:till 1:x'), encodeURIComponent('päy:m-a:t:x'),
  'x'.repeat(3000), encodeURIComponent('<script>'), encodeURIComponent("pay:m-a:t:x' OR '1'='1"), '-1', '0', 'null', 'undefined',
];
const NUMBERS_THAT_ARE_NOT_AMOUNTS: unknown[] = ['100', 1.5, -1, 0, 2 ** 60, 1e308, null, true, {}, [], '', 'NaN', -0.0001];

/** A create body that is valid, to be broken by exactly the mutation the generator picks. */
const validCreate = () => ({ provider: 'settle', pos_id: 'till-fz', pos_tid: newTid('fz'), amount: 1250, currency: 'EUR', description: 'fuzz' });

function brokenCreateBody(random: Random): { body: unknown; why: string } {
  const body: Record<string, unknown> = validCreate();
  const mutations: (() => string)[] = [
    () => { body.amount = random.pick(NUMBERS_THAT_ARE_NOT_AMOUNTS); return `amount ${JSON.stringify(body.amount)}`; },
    () => { body.pos_id = random.pick([123, '', 'a b', 'x'.repeat(65), null, 'till/1', 'tíll', ['till']]); return `pos_id ${JSON.stringify(body.pos_id)}`; },
    () => { body.pos_tid = random.pick([0, '', 'a:b', 'y'.repeat(65), null, {}]); return `pos_tid ${JSON.stringify(body.pos_tid)}`; },
    () => { body.currency = random.pick(['eur', 'EURO', 'XXX', 'ZZZ', 1, '', null, 'E U']); return `currency ${JSON.stringify(body.currency)}`; },
    () => { body.currency = random.pick(['AED', 'KWD', 'SAR', 'USD']); return `currency ${String(body.currency)} that settle does not take`; },
    () => { body.provider = random.pick(['paypal', '', null, 'SETTLE', 7, ['settle']]); return `provider ${JSON.stringify(body.provider)}`; },
    () => { body.capture_mode = random.pick(['later', '', 1, null, 'MANUAL']); return `capture_mode ${JSON.stringify(body.capture_mode)}`; },
    () => { body.timeout_seconds = random.pick([-5, 0, 'x', 1.5, 1, 2_592_001, 1e20]); return `timeout_seconds ${JSON.stringify(body.timeout_seconds)}`; },
    () => { body.description = random.pick(['x'.repeat(256), 5, {}, ['a']]); return 'description too long or not text'; },
    () => { body.line_items = random.pick(['x', [], [{}], [{ description: 'a', quantity: 0, amount: 1250 }], [{ description: 'a', quantity: 1, amount: 1 }], [{ description: 'a', quantity: 1, amount: 1250, extra: 1 }]]); return `line_items ${JSON.stringify(body.line_items)}`; },
    () => { body.provider_options = random.pick(['x', 5, [1], { shortlink_id: 'bad id!' }, { spot_id: 1 }, { shortlink_id: 'a'.repeat(65) }]); return `provider_options ${JSON.stringify(body.provider_options)}`; },
    () => { const field = random.pick(['provider', 'pos_id', 'pos_tid', 'amount', 'currency']); delete body[field]; return `missing ${field}`; },
    () => { const field = random.pick(['amont', 'merchant_id', 'state', 'constructor', random.text(8, 'abcxyz_')]); body[field] = random.pick([1, 'x', null]); return `unknown field ${field}`; },
    () => { let nested: unknown = 1; for (let depth = 0; depth < 500; depth += 1) nested = { n: nested }; body.provider_options = { deep: nested }; return 'deeply nested provider_options'; },
  ];
  const why = random.pick(mutations)();
  return { body, why };
}

function generate(random: Random, realId: string): FuzzRequest {
  const goodAuth = () => ({ authorization: `Bearer ${random.pick(GOOD_KEYS)}` });
  const anyBadAuth = () => random.pick(BAD_AUTH) ?? {};
  const json = { 'content-type': 'application/json' };
  const id = () => random.pick([...BAD_IDS, 'pay:m-a:till-fz:never-created']);
  const categories: (() => FuzzRequest)[] = [
    // POST /v1/payments
    () => ({ route: '/v1/payments', method: 'POST', path: '/v1/payments', headers: { ...anyBadAuth(), ...json }, body: JSON.stringify(validCreate()), why: 'valid body, bad auth' }),
    () => { const { body, why } = brokenCreateBody(random); return { route: '/v1/payments', method: 'POST', path: '/v1/payments', headers: { ...goodAuth(), ...json }, body: JSON.stringify(body), why }; },
    () => ({ route: '/v1/payments', method: 'POST', path: '/v1/payments', headers: { ...goodAuth(), ...json }, body: random.pick([...MALFORMED_JSON, ...NON_OBJECT_JSON]), why: 'malformed or non-object JSON' }),
    () => ({ route: '/v1/payments', method: 'POST', path: '/v1/payments', headers: { ...goodAuth(), 'content-type': random.pick(WRONG_CONTENT_TYPES) }, body: JSON.stringify(validCreate()), why: 'wrong content type' }),
    () => ({ route: '/v1/payments', method: 'POST', path: '/v1/payments', headers: { ...goodAuth(), 'content-type': random.pick(['application/json; charset=latin1', 'application/json; charset=utf-7', 'application/json; charset=utf-16le', 'application/json; charset="UTF-32"']) }, body: JSON.stringify(validCreate()), why: 'unsupported charset' }),
    () => ({ route: '/v1/payments', method: 'POST', path: '/v1/payments', headers: { ...goodAuth(), ...json, 'content-encoding': random.pick(['gzip', 'br', 'deflate', 'compress']) }, body: JSON.stringify(validCreate()), why: 'body not encoded as announced' }),
    () => ({ route: '/v1/payments', method: 'POST', path: `/v1/payments?${random.pick(['x=1', 'provider=settle', 'dry_run=true', 'limit=5'])}`, headers: { ...goodAuth(), ...json }, body: JSON.stringify(validCreate()), why: 'query parameter on create' }),
    () => ({ route: '/v1/payments', method: 'POST', path: '/v1/payments', headers: { ...goodAuth(), ...json }, body: JSON.stringify({ ...validCreate(), description: 'x'.repeat(70_000) }), why: 'body over 64 kB' }),
    () => { const { body } = brokenCreateBody(random); return { route: '/v1/payments', method: 'POST', path: '/v1/payments', headers: { ...goodAuth(), ...json, 'idempotency-key': random.pick(['', ' ', 'k'.repeat(300), 'clé', 'a\tb']) }, body: JSON.stringify(body), why: 'bad body and bad Idempotency-Key' }; },
    // GET /v1/payments
    () => {
      const query = random.pick([
        'limit=0', 'limit=-1', 'limit=101', 'limit=x', 'limit=1.5', 'limit=', 'limit=1e2', 'limit=%205', 'limit=1&limit=2',
        'state=paid', 'state=', 'provider=paypal', 'pos_id=a%20b', `pos_id=${'p'.repeat(65)}`, 'pos_id=x%27%20OR%20%271%27=%271',
        'cursor=garbage', 'cursor=', `cursor=${random.text(40, 'ABCDEFabcdef0123456789_-')}`, `cursor=${random.text(30, 'ABCDEFabcdef0123456789_-')}.${random.text(22, 'ABCDEFabcdef0123456789_-')}`,
        'cursor=%zz', 'cursor=a&cursor=b', 'sort=asc', 'merchant_id=m-b', 'page=2', `${random.text(5, 'abc')}=1`, `q=${'q'.repeat(6000)}`,
      ]);
      return { route: '/v1/payments', method: 'GET', path: `/v1/payments?${query}`, headers: random.chance(0.85) ? goodAuth() : anyBadAuth(), why: `list ?${query.slice(0, 60)}` };
    },
    // GET /v1/payments/{id}
    () => ({ route: '/v1/payments/{id}', method: 'GET', path: `/v1/payments/${id()}`, headers: goodAuth(), why: 'bad or unknown id' }),
    () => ({ route: '/v1/payments/{id}', method: 'GET', path: `/v1/payments/${realId}`, headers: anyBadAuth(), why: 'real id, bad auth' }),
    () => {
      const query = random.pick(['wait_for_version=-1', 'wait_for_version=x', 'wait_for_version=1&timeout=0', 'wait_for_version=1&timeout=31', 'wait_for_version=1&timeout=1.5', 'timeout=abc', 'wait=1', 'version=2', 'wait_for_version=1&wait_for_version=2', 'expand=all']);
      return { route: '/v1/payments/{id}', method: 'GET', path: `/v1/payments/${random.chance(0.5) ? realId : id()}?${query}`, headers: goodAuth(), why: `get ?${query}` };
    },
    // QR images
    () => {
      const format = random.pick(['svg', 'png']);
      const variant = random.int(3);
      const path = variant === 0 ? `/v1/payments/${id()}/qr.${format}` : variant === 1 ? `/v1/payments/${realId}/qr.${random.pick(['gif', 'jpg', 'svgz', '', 'SVG'])}` : `/v1/payments/${realId}/qr.${format}?size=${random.int(10000)}`;
      return { route: '/v1/payments/{id}/qr.svg', method: 'GET', path, headers: random.chance(0.8) ? goodAuth() : anyBadAuth(), why: 'bad QR request' };
    },
    () => {
      // Forged or mangled signed links (qr.image_url), without a Bearer key.
      const sig = random.pick([random.text(22, 'ABCDEFabcdef0123456789_-'), random.text(21, 'abc'), '', random.text(30), 'A'.repeat(22)]);
      const exp = random.pick([String(Math.floor(Date.now() / 1000) + 300), '1', '-5', '1e9', '', 'x', '9'.repeat(20)]);
      const query = random.pick([`exp=${exp}&sig=${encodeURIComponent(sig)}`, `exp=${exp}`, `sig=${encodeURIComponent(sig)}`, `exp=${exp}&sig=${encodeURIComponent(sig)}&exp=1`]);
      return { route: '/v1/payments/{id}/qr.svg', method: 'GET', path: `/v1/payments/${random.chance(0.7) ? realId : id()}/qr.${random.pick(['svg', 'png'])}?${query}`, headers: {}, why: `forged QR link ?${query.slice(0, 60)}` };
    },
    // Commands
    () => {
      const command = random.pick(['cancel', 'capture', 'retry', 'refunds']);
      const bodies: Record<string, unknown[]> = {
        cancel: [{ reason: 5 }, { x: 1 }, { reason: 'r'.repeat(300) }, [], 'x'],
        capture: [{ amount: -1 }, { amount: '5' }, { amount: 1.5 }, { amount: 0 }, { amount: 1, extra: true }, []],
        retry: [{ x: 1 }, { reason: 'again' }, [], 1],
        refunds: [{}, { amount: 0 }, { amount: 'x' }, { amount: 1, refund_id: 'bad id' }, { amount: 1, refund_id: 'r'.repeat(65) }, { amount: 1.5 }, { amount: 1, reason: 'r'.repeat(300) }, { amount: 1, x: 1 }],
      };
      const variant = random.int(4);
      if (variant === 0) return { route: `/v1/payments/{id}/${command}`, method: 'POST', path: `/v1/payments/${realId}/${command}`, headers: { ...goodAuth(), ...json }, body: JSON.stringify(random.pick(bodies[command]!)), why: `${command} with a bad body` };
      if (variant === 1) return { route: `/v1/payments/{id}/${command}`, method: 'POST', path: `/v1/payments/${id()}/${command}`, headers: { ...goodAuth(), ...json }, body: JSON.stringify(random.pick(bodies[command]!)), why: `${command} on a bad id` };
      if (variant === 2) return { route: `/v1/payments/{id}/${command}`, method: 'POST', path: `/v1/payments/${realId}/${command}`, headers: { ...goodAuth(), 'content-type': random.pick(WRONG_CONTENT_TYPES) }, body: 'amount=1', why: `${command} with a wrong content type` };
      return { route: `/v1/payments/{id}/${command}`, method: 'POST', path: `/v1/payments/${realId}/${command}`, headers: { ...anyBadAuth(), ...json }, body: '{}', why: `${command} with bad auth` };
    },
    () => {
      const command = random.pick(['cancel', 'capture', 'retry', 'refunds']);
      return { route: `/v1/payments/{id}/${command}`, method: 'POST', path: `/v1/payments/${realId}/${command}?${random.pick(['force=true', 'amount=1', 'x='])}`, headers: { ...goodAuth(), ...json }, body: random.pick(MALFORMED_JSON), why: `${command} with a query and malformed JSON` };
    },
    // Terminals
    () => {
      const posId = random.pick(['till-fz', 'a%20b', 't'.repeat(65), '%00', encodeURIComponent('till/1')]);
      const provider = random.pick(['seqr', 'settle', 'tabby', 'paysera', 'paypal', 'SEQR']);
      const method = random.pick(['PUT', 'GET', 'DELETE']);
      const badBodies = [{ seqr_id: 'bad-id' }, { seqr_id: 5, name: 'x' }, { seqr_id: 'SQ1' }, { seqr_id: 'SQ1', name: '' }, { seqr_id: 'SQ1', name: 'x', extra: 1 }, { seqr_id: 'SQ1', name: 'n'.repeat(65) }, { name: 'x' }, [], 'x'];
      // Only bad requests: a well-formed PUT for a real till would register it (and start its workflow).
      const body = method === 'PUT' ? JSON.stringify(random.pick(badBodies)) : undefined;
      const query = method !== 'PUT' && posId === 'till-fz' && provider === 'seqr' ? `?${random.pick(['x=1', 'verbose', 'seqr_id=SQ1'])}` : '';
      return { route: '/v1/terminals/{pos_id}/seqr', method, path: `/v1/terminals/${posId}/${provider}${query}`, headers: { ...(random.chance(0.85) ? goodAuth() : anyBadAuth()), ...json }, body, why: `${method} terminal ${posId}/${provider}${query}` };
    },
    () => ({ route: '/v1/terminals/{pos_id}/seqr', method: 'PUT', path: '/v1/terminals/till-fz/seqr', headers: { ...anyBadAuth(), ...json }, body: JSON.stringify({ seqr_id: 'SQFZ1', name: 'Fuzz' }), why: 'terminal PUT with bad auth' }),
    () => ({ route: '/v1/terminals/{pos_id}/seqr', method: 'PUT', path: '/v1/terminals/till-fz/seqr', headers: { ...goodAuth(), 'content-type': random.pick(WRONG_CONTENT_TYPES) }, body: 'seqr_id=SQFZ1&name=Fuzz', why: 'terminal PUT as a form' }),
    // Paysera spots
    () => {
      const query = random.pick(['status=seated', 'status=', 'status=WAITING', 'status=waiting&status=open', 'status=opened', 'limit=5', 'status=waiting&merchant=m-b', 'location=4', `status=${'w'.repeat(3000)}`, 'status[]=waiting']);
      return { route: '/v1/paysera/spots', method: 'GET', path: `/v1/paysera/spots?${query}`, headers: random.chance(0.85) ? goodAuth() : anyBadAuth(), why: `spots ?${query.slice(0, 40)}` };
    },
    // Webhooks
    () => {
      const body = random.pick([JSON.stringify({ meta: { id: 'x', event: 'shortlink_scanned', uri: null }, object: { id: 'token:1', argstring: realId } }), random.text(200), '', '{}', 'x'.repeat(300_000)]);
      const headers = random.pick([
        {},
        { authorization: 'RSA-SHA256 Zm9yZ2Vk', 'x-settle-timestamp': '2026-01-01 00:00:00', 'x-settle-content-digest': 'SHA256=AAAA' },
        { authorization: `RSA-SHA256 ${random.text(344, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/')}`, 'x-settle-timestamp': random.pick(['yesterday', '', '9999-99-99 99:99:99']) },
        { authorization: 'SECRET hunter2' },
      ]);
      return { route: '/v1/webhooks/{provider}', method: 'POST', path: `/v1/webhooks/settle${random.pick(['', `?payment=${encodeURIComponent(realId)}`, '?payment=garbage'])}`, headers: { 'content-type': random.pick(['application/json', 'text/plain', 'application/vnd.mcash.api.merchant.v1+json']), ...headers }, body, why: 'settle webhook with a bad signature or body' };
    },
    () => ({ route: '/v1/webhooks/{provider}', method: 'POST', path: '/v1/webhooks/tabby', headers: { 'content-type': 'application/json', ...random.pick([{}, { 'x-tabby-webhook-secret': 'wrong' }, { 'x-tabby-webhook-secret': '' }, { authorization: 'Bearer key-a' }]) }, body: random.pick(['{"id":"x","status":"authorized"}', random.text(100), '', '[]']), why: 'tabby webhook without its secret' }),
    () => ({ route: '/v1/webhooks/{provider}', method: 'POST', path: '/v1/webhooks/paysera', headers: { 'content-type': random.pick(['application/x-www-form-urlencoded', 'application/json', 'text/plain']) }, body: random.pick(['event=%7B%7D&sign=AAAA', 'event=x', 'sign=x', '', `event=${encodeURIComponent(JSON.stringify({ type: 'reserved', object: 'transaction', data: {} }))}&sign=${random.text(40)}`, '{"event":"x","sign":"y"}', random.text(100)]), why: 'paysera webhook with a bad signature' }),
    () => ({ route: '/v1/webhooks/{provider}', method: 'POST', path: `/v1/webhooks/seqr${random.pick(['', '?payment=', '?payment=garbage', '?payment=pay:m-a:nobody:x', `?payment=${'p'.repeat(3000)}`, '?invoice=1'])}`, headers: { 'content-type': random.pick(['application/json', 'text/xml']) }, body: random.pick(['', '<x/>', random.text(50)]), why: 'seqr hint for no payment of ours' }),
    () => ({ route: '/v1/webhooks/{provider}', method: random.pick(['POST', 'GET', 'PUT']), path: `/v1/webhooks/${random.pick(['paypal', 'SETTLE', '', 'settle/extra', '%00'])}`, headers: json, body: '{}', why: 'webhook of no provider' }),
    // Wrong methods, unknown paths, parameters on the operations endpoints
    () => {
      const [method, path, route] = random.pick([
        ['PATCH', '/v1/payments', '/v1/payments'], ['PUT', '/v1/payments', '/v1/payments'], ['DELETE', '/v1/payments', '/v1/payments'],
        ['DELETE', `/v1/payments/${realId}`, '/v1/payments/{id}'], ['PUT', `/v1/payments/${realId}`, '/v1/payments/{id}'], ['POST', `/v1/payments/${realId}`, '/v1/payments/{id}'],
        ['GET', `/v1/payments/${realId}/cancel`, '/v1/payments/{id}/cancel'], ['PUT', `/v1/payments/${realId}/capture`, '/v1/payments/{id}/capture'], ['DELETE', `/v1/payments/${realId}/refunds`, '/v1/payments/{id}/refunds'], ['GET', `/v1/payments/${realId}/retry`, '/v1/payments/{id}/retry'],
        ['POST', `/v1/payments/${realId}/qr.svg`, '/v1/payments/{id}/qr.svg'], ['PATCH', '/v1/terminals/till-fz/seqr', '/v1/terminals/{pos_id}/seqr'], ['POST', '/v1/terminals/till-fz/seqr', '/v1/terminals/{pos_id}/seqr'],
        ['POST', '/v1/paysera/spots', '/v1/paysera/spots'], ['DELETE', '/v1/paysera/spots', '/v1/paysera/spots'], ['GET', '/v1/webhooks/settle', '/v1/webhooks/{provider}'],
        ['POST', '/healthz', '/healthz'], ['DELETE', '/readyz', '/readyz'], ['POST', '/metrics', '/metrics'], ['PUT', '/openapi.json', '/openapi.json'],
        ['GET', '/', 'unknown'], ['GET', '/v2/payments', 'unknown'], ['GET', '/v1/paymentsx', 'unknown'], ['GET', `/v1/payments/${realId}/qr.svg/extra`, 'unknown'], ['GET', '/v1/terminals/till-fz', 'unknown'], ['GET', '/v1/paysera', 'unknown'], ['GET', '/%E0%A4%A', 'unknown'],
      ] as const);
      return { route, method, path, headers: { ...(random.chance(0.7) ? goodAuth() : anyBadAuth()), ...json }, body: method === 'GET' ? undefined : '{}', why: `${method} ${path.slice(0, 60)}` };
    },
    () => {
      const path = random.pick(['/healthz', '/readyz', '/metrics', '/openapi.json']);
      return { route: path, method: 'GET', path: `${path}?${random.pick(['x=1', 'verbose=true', 'format=yaml', `${random.text(4, 'abc')}=`])}`, headers: {}, why: 'parameter on an operations endpoint' };
    },
  ];
  return random.pick(categories)();
}

interface Outcome {
  request: FuzzRequest;
  index: number;
  status: number;
  contentType: string;
  body: string;
  ms: number;
}

async function send(baseUrl: string, fuzz: FuzzRequest, index: number): Promise<Outcome> {
  const started = Date.now();
  const body = fuzz.method === 'GET' ? undefined : fuzz.body;
  const response = await request(`${baseUrl}${fuzz.path}`, { method: fuzz.method as 'GET', headers: fuzz.headers, body });
  const text = await response.body.text();
  return { request: fuzz, index, status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), body: text, ms: Date.now() - started };
}

/** What is wrong with an answer to a bad request, or null when it is a proper 4xx (or an accepted webhook). */
function complaint(outcome: Outcome): string | null {
  if (outcome.status >= 500) return `answered ${outcome.status}`;
  if (outcome.status < 400) return null;
  if (!outcome.contentType.startsWith('application/problem+json')) return `error ${outcome.status} as ${outcome.contentType || 'no content type'}`;
  let problem: Record<string, unknown>;
  try {
    problem = JSON.parse(outcome.body) as Record<string, unknown>;
  } catch {
    return `error ${outcome.status} whose body is not JSON`;
  }
  for (const field of ['type', 'title', 'code'] as const) {
    if (typeof problem[field] !== 'string' || problem[field] === '') return `problem without ${field}`;
  }
  if (problem.status !== outcome.status) return `problem.status ${String(problem.status)} on a ${outcome.status}`;
  return null;
}

async function startableWorkflows(): Promise<number> {
  return (await e2e().stack.client.workflow.count(STARTABLE)).count;
}

describe('fuzz: bad requests to every route', () => {
  it(`${REQUESTS} generated bad requests: no 5xx, every error problem+json, no workflow started`, async () => {
    const { pos, stack } = e2e();
    const real = await pos.create({ provider: 'settle', pos_id: 'till-fz', pos_tid: newTid('fz-real'), amount: 990, currency: 'EUR', timeout_seconds: 900 });
    assert.equal(real.status, 201, JSON.stringify(real.body));
    const realId = real.body.id;
    await eventually('the real payment to be visible', async () => (await pos.list('?pos_id=till-fz')).body.data?.some((payment) => payment.id === realId));
    const before = await startableWorkflows();

    const random = new Random(SEED);
    const requests = Array.from({ length: REQUESTS }, () => generate(random, realId));
    const outcomes: Outcome[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: AT_ONCE }, async () => {
      while (next < requests.length) {
        const index = next;
        next += 1;
        outcomes.push(await send(stack.ingressUrl, requests[index]!, index));
      }
    }));
    const elapsed = Date.now() - started;

    // Every route was exercised, the API's (per /openapi.json) and the operations endpoints.
    const openApi = JSON.parse(await (await request(`${stack.ingressUrl}/openapi.json`)).body.text()) as { paths: Record<string, unknown> };
    const covered = new Set(requests.map((entry) => entry.route));
    for (const route of Object.keys(openApi.paths)) assert.ok(covered.has(route), `no request went to ${route}`);

    const complaints = outcomes.flatMap((outcome) => {
      const what = complaint(outcome);
      return what === null ? [] : [`#${outcome.index} ${outcome.request.method} ${outcome.request.path.slice(0, 100)} (${outcome.request.why}): ${what} ${outcome.body.slice(0, 200)}`];
    });
    assert.deepEqual(complaints.slice(0, 20), [], `${complaints.length} bad answers (seed ${SEED})`);
    const slowest = outcomes.reduce((worst, outcome) => (outcome.ms > worst.ms ? outcome : worst));
    assert.ok(slowest.ms < 10_000, `#${slowest.index} ${slowest.request.method} ${slowest.request.path.slice(0, 100)} took ${slowest.ms} ms`);
    const statuses = new Map<number, number>();
    for (const outcome of outcomes) statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
    console.log(`fuzz: ${outcomes.length} requests in ${elapsed} ms; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}; slowest ${slowest.ms} ms`);

    // A sentinel payment started now becomes visible after anything the fuzz could have started.
    const sentinel = await pos.create({ provider: 'settle', pos_id: 'till-fz', pos_tid: newTid('fz-sentinel'), amount: 991, currency: 'EUR' });
    assert.equal(sentinel.status, 201);
    await eventually('the sentinel payment to be visible', async () => (await pos.list('?pos_id=till-fz&limit=100')).body.data?.some((payment) => payment.id === sentinel.body.id));
    assert.equal(await startableWorkflows(), before + 1, 'only the sentinel payment was started');
    const payment = await pos.get(realId);
    assert.equal(payment.body.version, real.body.version, 'the real payment did not move');
  });
});
