/**
 * What an operator sees of payments, end to end on the embedded stack: one full flow per provider,
 * then the logs (JSON lines carrying the payment's fields, no configured secret anywhere), the
 * worker's `/metrics` (business and Temporal SDK metrics in one scrape) and the trace of a payment
 * (in-memory exporter: create, the workflow and every provider call in one trace).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { redirectLogs } from '../../src/observability/logger';
import { SECRET_VARIABLES } from '../../src/observability/redaction';
import { defaultPlugins, secretVariables } from '../../src/providers';
import { startTracing } from '../../src/observability/tracing';
import { useStack } from '../support/e2e-stack';
import { call, eventually } from '../support/http';
import { newTid, Pos, type Payment } from '../support/pos';

// Before the stack starts: its worker and ingress pick up the tracer provider and the log destination.
const spans = new InMemorySpanExporter();
startTracing('pos-observability-test', {}, spans);
const lines: string[] = [];
redirectLogs((line) => void lines.push(line));

const API_KEY = `obs_${randomBytes(16).toString('hex')}`;
const e2e = useStack({
  env: {
    POS_API_KEYS: `${API_KEY}=m-a`,
    QR_LINK_SECRET: randomBytes(24).toString('hex'),
    // Short enough that a captured payment's workflow, and so its trace's root span, completes here.
    PAYMENT_REFUND_WINDOW_SECONDS: '3',
    SEQR_POLL_INTERVAL_MS: '200',
    PAYSERA_POLL_INTERVAL_MS: '200',
    WORKER_METRICS_PORT: '0',
  },
});
const pos = () => new Pos(e2e().stack.ingressUrl, API_KEY);
const paid: Partial<Record<string, Payment>> = {};

async function settleFlow(): Promise<Payment> {
  const { settle } = e2e();
  const created = (await pos().create({ provider: 'settle', pos_id: 'till-1', pos_tid: newTid(), amount: 2000, currency: 'EUR' })).body;
  await settle.scan(created.qr!.content);
  const scanned = await pos().waitFor(created.id, (p) => p.provider_reference.tid !== undefined);
  await settle.act(scanned.provider_reference.tid!, 'approve');
  await pos().waitForState(created.id, 'captured');
  const refunded = await pos().command(created.id, 'refunds', { amount: 500, refund_id: 'obs-1' });
  assert.equal(refunded.status, 201, JSON.stringify(refunded.body));
  return created;
}

async function tabbyFlow(): Promise<Payment> {
  const created = (await pos().create({ provider: 'tabby', pos_id: 'till-2', pos_tid: newTid(), amount: 15000, currency: 'AED' })).body;
  await e2e().tabby.act(created, 'approve');
  await pos().waitForState(created.id, 'captured');
  return created;
}

async function seqrFlow(): Promise<Payment> {
  const registered = await call('PUT', `${e2e().stack.ingressUrl}/v1/terminals/till-9/seqr`, { body: { seqr_id: 'SQ9001', name: 'Till 9' }, headers: { authorization: `Bearer ${API_KEY}` } });
  assert.equal(registered.status, 200, JSON.stringify(registered.body));
  const created = (await pos().create({ provider: 'seqr', pos_id: 'till-9', pos_tid: newTid(), amount: 14999, currency: 'SEK' })).body;
  await e2e().seqr.scanAndPay(created);
  await pos().waitForState(created.id, 'captured');
  return created;
}

async function payseraFlow(): Promise<Payment> {
  const spot = `PAYSERA*${e2e().stack.env.PAYSERA_LOCATION_ID}:TABLE1`;
  const created = (await pos().create({ provider: 'paysera', pos_id: 'waiter-1', pos_tid: newTid(), amount: 2350, currency: 'EUR', provider_options: { spot_code: spot } })).body;
  await e2e().paysera.checkIn('TABLE1');
  await e2e().paysera.act(created, 'reserve');
  await pos().waitForState(created.id, 'captured');
  return created;
}

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

/** The spans of one trace as an indented tree (name, kind for HTTP spans), children in start order. */
function spanTree(trace: ReadableSpan[]): string {
  const ids = new Set(trace.map((span) => span.spanContext().spanId));
  const children = (parent: string | undefined) => trace
    .filter((span) => (parent === undefined ? !span.parentSpanId || !ids.has(span.parentSpanId) : span.parentSpanId === parent))
    .sort((a, b) => a.startTime[0] - b.startTime[0] || a.startTime[1] - b.startTime[1]);
  const render = (span: ReadableSpan, depth: number): string[] => {
    const http = span.kind === SpanKind.CLIENT ? ` → ${String(span.attributes['server.address'])}:${String(span.attributes['server.port'])}${String(span.attributes['url.path'])} ${String(span.attributes['http.response.status_code'])}` : '';
    return [`${'  '.repeat(depth)}${span.name}${http}`, ...children(span.spanContext().spanId).flatMap((child) => render(child, depth + 1))];
  };
  return children(undefined).flatMap((root) => render(root, 0)).join('\n');
}

describe('observability', () => {
  it('runs a full flow of every provider', async () => {
    paid.settle = await settleFlow();
    paid.tabby = await tabbyFlow();
    paid.seqr = await seqrFlow();
    paid.paysera = await payseraFlow();
  });

  it('logs JSON lines that never contain a configured secret, a scan token or an API key', async () => {
    const { env } = e2e().stack;
    // Every configured secret is set in this stack (but Temporal Cloud's key: the dev server takes
    // none), so none is skipped silently.
    const secretNames = [...SECRET_VARIABLES, ...secretVariables(defaultPlugins)];
    assert.deepEqual(secretNames.filter((name) => !env[name]), ['TEMPORAL_API_KEY'], 'secret variables without a value');
    const secrets: [string, string][] = secretNames.flatMap((name) => (env[name] ? [[name, env[name]] as [string, string]] : []));
    // What the SEQR tills log in with, as SEQR recorded it (not re-derived with our adapter's formula).
    const credentials = await e2e().seqr.credentials();
    assert.ok(credentials.terminals.some((t) => t.external_terminal_id.endsWith('/till-9')), `SEQR holds till-9: ${JSON.stringify(credentials.terminals.map((t) => t.external_terminal_id))}`);
    for (const terminal of credentials.terminals) secrets.push([`SEQR terminal ${terminal.external_terminal_id} password`, terminal.password]);
    for (const reseller of credentials.resellers) secrets.push([`SEQR reseller ${reseller.id} password`, reseller.password]);
    secrets.push(['POS API key', API_KEY]);
    assert.ok(lines.length > 30, `the flows logged (${lines.length} lines)`);
    for (const line of lines) assert.doesNotThrow(() => JSON.parse(line), `not JSON: ${line}`);
    const text = lines.join('');
    for (const [name, value] of secrets) {
      for (const form of [value, JSON.stringify(value).slice(1, -1)]) assert.equal(text.includes(form), false, `${name} appears in the logs`);
    }
    assert.doesNotMatch(text, /Bearer (?!\[REDACTED\])/);
  });

  it('puts payment_id, merchant_id and provider on every line about a payment, and the request id on request lines', async () => {
    // The workflow's lines are handed over after its task completes, a moment after the POS saw the change.
    const changes = (payment: Payment) => parsed().filter((entry) => entry.payment_id === payment.id && entry.msg === 'payment state changed').map((entry) => entry.state);
    await eventually('every capture logged', () => Object.values(paid).every((payment) => changes(payment!).includes('captured')));
    const aboutPayments = parsed().filter((entry) => typeof entry.payment_id === 'string');
    for (const entry of aboutPayments) {
      assert.equal(entry.merchant_id, 'm-a', JSON.stringify(entry));
      assert.ok(['settle', 'tabby', 'seqr', 'paysera'].includes(String(entry.provider)), JSON.stringify(entry));
    }
    for (const [provider, payment] of Object.entries(paid)) {
      assert.equal(changes(payment!)[0], 'awaiting_customer', provider);
      const create = aboutPayments.find((entry) => entry.payment_id === payment!.id && /^\/v1\/payments\/?$/.test(String(entry.route)) && entry.method === 'POST');
      assert.match(String(create?.request_id), /^[\w.:-]+$/, `${provider}'s create is logged with its request id`);
    }
    assert.ok(aboutPayments.some((entry) => entry.route === '/v1/webhooks/:provider'), 'webhook lines name their payment');
    // The workflow's lines carry the SDK's fields too: they came through the Temporal runtime's logger.
    const workflowLine = aboutPayments.find((entry) => entry.msg === 'payment state changed');
    assert.equal(workflowLine?.sdkComponent, 'workflow');
    assert.equal(workflowLine?.workflowType, 'paymentWorkflow');
  });

  it('serves worker metrics: payments, provider calls, poll lag, waits, refunds and the Temporal SDK’s own', async () => {
    const url = e2e().stack.workerMetricsUrl;
    assert.ok(url, 'WORKER_METRICS_PORT serves /metrics');
    const text = await (await fetch(url)).text();
    for (const provider of ['settle', 'tabby', 'seqr', 'paysera']) {
      assert.match(text, new RegExp(`^pos_payments_started_total\\{provider="${provider}"\\} [1-9]`, 'm'));
      assert.match(text, new RegExp(`^pos_payments_finished_total\\{provider="${provider}",state="captured"\\} 1`, 'm'));
      assert.match(text, new RegExp(`^pos_provider_call_duration_seconds_count\\{provider="${provider}",operation="prepare",outcome="ok"\\} [1-9]`, 'm'));
    }
    assert.match(text, /^pos_refunds_total\{provider="settle",outcome="succeeded"\} 1$/m);
    assert.match(text, /^pos_poll_cadence_lag_seconds_count\{provider="settle"\} [1-9]/m);
    assert.match(text, /^pos_waits_in_progress\{provider="settle"\} 0$/m);
    assert.match(text, /^pos_wait_slots \d+$/m);
    // The SDK's metrics, merged from its own exporter.
    assert.match(text, /^temporal_worker_task_slots_used\{.*task_queue="payments-waits",worker_type="ActivityWorker"\} \d+$/m);
    assert.match(text, /^temporal_activity_execution_latency_seconds_bucket\{/m);
  });

  it('traces a payment as one trace: the create, the workflow and every provider call', async (t) => {
    const payment = paid.settle!;
    // The workflow span ends when the workflow does (the refund window closes).
    await e2e().stack.client.workflow.getHandle(payment.id).result();
    const finished = spans.getFinishedSpans();
    const create = finished.find((span) => /^POST \/v1\/payments\/?$/.test(span.name) && span.attributes['http.response.status_code'] === 201
      && finished.some((other) => other.spanContext().traceId === span.spanContext().traceId && other.attributes.workflowId === payment.id));
    assert.ok(create, 'the create request has a server span');
    const trace = finished.filter((span) => span.spanContext().traceId === create.spanContext().traceId);
    const tree = spanTree(trace);
    t.diagnostic(`span tree of ${payment.id}:\n${tree}`);
    const names = trace.map((span) => span.name);
    for (const expected of ['UpdateWithStartWorkflow:open', 'RunWorkflow:paymentWorkflow', 'RunActivity:preparePayment', 'RunActivity:awaitProviderChange']) {
      assert.ok(names.includes(expected), `${expected} in\n${tree}`);
    }
    const byId = new Map(trace.map((span) => [span.spanContext().spanId, span]));
    assert.equal(trace.filter((span) => !byId.has(span.parentSpanId ?? '')).length, 1, 'one root: the create request');
    assert.ok(trace.filter((span) => span.kind === SpanKind.CLIENT).length >= 3, tree);
    // Every provider call of the whole run (the refund's is in the refund request's trace) is a client
    // span under the activity that made it.
    const all = new Map(finished.map((span) => [span.spanContext().spanId, span]));
    for (const call of finished.filter((span) => span.kind === SpanKind.CLIENT)) {
      assert.match(all.get(call.parentSpanId ?? '')?.name ?? 'no parent', /^RunActivity:/, `${call.name} ${String(call.attributes['url.path'])}`);
    }
  });
});
