/**
 * Money moves once, whatever crashes: a provider call without an idempotency key that is in flight
 * when the worker process is SIGKILLed is never sent again by the retry that follows; the retry
 * reports the documented unknown outcome instead. The provider's own records are the judge.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { call } from '../support/http';
import { newTid, type Payment } from '../support/pos';
import { ServiceProcess } from '../support/processes';

// Provider calls of a killed worker are retried once their 20 s start-to-close timeout passes.
const e2e = useStack({ env: { SEQR_POLL_INTERVAL_MS: '200', TABBY_MIN_TIMEOUT_SECONDS: '3' } });
let worker: ServiceProcess;

/** The production worker as its own process, so that it can be killed mid-call. */
async function startWorker(): Promise<ServiceProcess> {
  const started = new ServiceProcess('src/main/worker.ts', e2e().stack.env);
  await started.waitFor(/worker polling/);
  return started;
}

describe('exactly once across a worker crash', () => {
  before(async () => {
    await e2e().stack.stopWorker();
    worker = await startWorker();
  });

  after(async () => {
    await worker.stop('SIGKILL');
  });

  it('a SEQR refund in flight when the worker dies is sent once and reported refund_outcome_unknown', async () => {
    const { pos, seqr, stack } = e2e();
    const registered = await call('PUT', `${stack.ingressUrl}/v1/terminals/till-x/seqr`, { body: { seqr_id: 'SQX1', name: 'Till X' }, headers: { authorization: 'Bearer key-a' } });
    assert.equal(registered.status, 200, JSON.stringify(registered.body));
    const payment = (await pos.create({ provider: 'seqr', pos_id: 'till-x', pos_tid: newTid(), amount: 5000, currency: 'SEK' })).body;
    await seqr.scanAndPay(payment);
    await pos.waitForState(payment.id, 'captured');

    // SEQR holds the refund from the moment it arrives until the worker has been killed and replaced.
    const hold = await seqr.fault({ fault: 'hold', operation: 'refundPayment' });
    const refund = pos.command(payment.id, 'refunds', { amount: 2000, refund_id: 'r-crash' });
    await seqr.control.held(hold);
    await worker.stop('SIGKILL');
    worker = await startWorker();
    assert.equal(await seqr.control.release(hold), 1);

    // The till may get 202 first (the outcome took longer than COMMAND_ANSWER_MS while the worker was
    // replaced); the very same refund again then answers the outcome, without a second refund.
    const first = await refund;
    assert.ok([201, 202].includes(first.status), JSON.stringify(first.body));
    const answer = first.status === 201 ? first : await pos.command(payment.id, 'refunds', { amount: 2000, refund_id: 'r-crash' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.refund.state, 'failed');
    assert.equal(answer.body.refund.failure.code, 'refund_outcome_unknown');
    const invoice = await seqr.invoice(seqr.invoiceOf(payment));
    assert.equal(invoice.actions.filter((action) => action.action === 'refundPayment').length, 1);
  });

  it('a Tabby session create in flight when the worker dies is not sent again; the payment fails provider_outcome_unknown', async () => {
    const { pos, tabby } = e2e();
    // Every session create is held at Tabby (and logged); the first is in flight when the worker dies.
    const since = await tabby.control.mark();
    const hold = await tabby.fault({ method: 'POST', path_pattern: '^/api/v2/checkout$', fault: 'hold', times: 2 });
    const body = { provider: 'tabby', pos_id: 'till-t', pos_tid: newTid(), amount: 10000, currency: 'AED', timeout_seconds: 180 };
    const creating = pos.create(body);
    await tabby.control.held(hold);
    await worker.stop('SIGKILL');
    worker = await startWorker();

    // The till's create may run out of patience first; the very same request then finds the payment.
    const first = await creating;
    const failed = first.status === 503 ? await pos.waitForState(`pay:m-a:till-t:${body.pos_tid}`, 'failed', 60_000) : first.body as Payment;
    assert.equal(failed.state, 'failed');
    assert.equal(failed.failure?.code, 'provider_outcome_unknown');
    assert.equal(failed.qr, null);
    const creates = (await tabby.control.requests(since)).filter((r) => r.method === 'POST' && r.path === '/api/v2/checkout');
    assert.deepEqual(creates.map((r) => r.fault), [hold], 'exactly one session create reached Tabby');
    await tabby.clearFaults();
  });
});
