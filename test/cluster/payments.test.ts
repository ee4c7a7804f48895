/**
 * The service on a real Temporal cluster backed by PostgreSQL (test/support/temporal-cluster.ts),
 * through the doors users use: a till over HTTP, the ingress and the worker as their own processes,
 * the providers' sandboxes sending their webhooks. One full payment per provider, each refunded, and
 * the worker process killed with SIGKILL in the middle of a payment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { useClusterTopology } from '../support/cluster-topology';
import { call, eventually } from '../support/http';
import { newTid, type Payment } from '../support/pos';
import { scanPayment } from '../support/settle-customer';
import { clusterSkipReason } from '../support/temporal-cluster';

const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;

describe('Temporal on PostgreSQL', async () => {
  describe('payments of every provider, refunds, a worker killed mid-payment', { skip: await clusterSkipReason() }, () => {
    const on = useClusterTopology({ workers: 1, ingresses: 1 });

    it('is the PostgreSQL-backed cluster, with the namespace and search attributes of temporal-config/', async () => {
      const { client, cluster } = on();
      const info = await client.workflowService.getClusterInfo({});
      assert.equal(info.persistenceStore, 'postgres12');
      assert.equal(info.visibilityStore, 'postgres12');
      assert.equal(info.serverVersion, '1.29.1');
      const attributes = await client.connection.operatorService.listSearchAttributes({ namespace: cluster.namespace });
      assert.deepEqual(Object.keys(attributes.customAttributes ?? {}).sort(), ['MerchantId', 'PaymentAmount', 'PaymentCurrency', 'PaymentProvider', 'PaymentState', 'PosId', 'PosTid']);
    });

    it('Settle: scan, approve → captured; a partial refund; found by its search attributes', async () => {
      const { pos, settle } = on();
      const created = await pos.create({ provider: 'settle', pos_id: 'till-1', pos_tid: newTid(), amount: 2000, currency: 'EUR' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      const tid = await scanPayment(pos, settle, created.body);
      await settle.act(tid, 'approve');
      assert.equal((await pos.waitForState(created.body.id, 'captured')).captured_amount, 2000);

      const refund = await pos.command(created.body.id, 'refunds', { amount: 500, refund_id: 'return-1' });
      assert.equal(refund.status, 201, JSON.stringify(refund.body));
      assert.equal(refund.body.payment.state, 'partially_refunded');
      assert.deepEqual((await settle.request(tid)).outcome.refunds.map((r) => r.amount), [500]);
      await eventually('the payment in the listing by state and provider', async () =>
        (await pos.list('?state=partially_refunded&provider=settle')).body.data.some((listed) => listed.id === created.body.id));
    });

    it('Tabby: the customer pays at the checkout → captured; refunded in full', async () => {
      const { pos, tabby } = on();
      const created = await pos.create({ provider: 'tabby', pos_id: 'kiosk-7', pos_tid: newTid(), amount: 15000, currency: 'AED' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await tabby.act(created.body, 'approve');
      assert.equal((await pos.waitForState(created.body.id, 'captured')).captured_amount, 15000);

      const refund = await pos.command(created.body.id, 'refunds', { amount: 15000, refund_id: 'all' });
      assert.equal(refund.status, 201, JSON.stringify(refund.body));
      assert.equal(refund.body.payment.state, 'refunded');
      assert.deepEqual((await tabby.paymentOf(created.body)).payment.refunds.map((r) => r.amount), ['150.00']);
    });

    it('SEQR: the till registered, the customer scans its sticker and pays → captured; a partial refund', async () => {
      const { pos, seqr, publicUrl } = on();
      const registered = await call('PUT', `${publicUrl}/v1/terminals/till-9/seqr`, { body: { seqr_id: 'SQ9001', name: 'Till 9' }, headers: { authorization: 'Bearer key-a' } });
      assert.equal(registered.status, 200, JSON.stringify(registered.body));
      const created = await pos.create({ provider: 'seqr', pos_id: 'till-9', pos_tid: newTid(), amount: 10000, currency: 'SEK' });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await seqr.scanAndPay(created.body);
      assert.equal((await pos.waitForState(created.body.id, 'captured')).captured_amount, 10000);

      const refund = await pos.command(created.body.id, 'refunds', { amount: 4000, refund_id: 'sq-1' });
      assert.equal(refund.status, 201, JSON.stringify(refund.body));
      assert.equal(refund.body.payment.state, 'partially_refunded');
      const invoice = await seqr.invoice(seqr.invoiceOf(created.body));
      assert.equal(invoice.actions.filter((action) => action.action === 'refundPayment' && action.result_code === 0).length, 1);
    });

    it('Paysera: check-in at the table, reserve → captured; refunded in full', async () => {
      const { pos, paysera, env } = on();
      const spotCode = `PAYSERA*${env.PAYSERA_LOCATION_ID}:TABLE1`;
      const created = await pos.create({ provider: 'paysera', pos_id: 'waiter-1', pos_tid: newTid(), amount: 2350, currency: 'EUR', provider_options: { spot_code: spotCode } });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      await paysera.checkIn('TABLE1');
      await paysera.act(created.body, 'reserve');
      const captured = await pos.waitForState(created.body.id, 'captured');
      assert.equal((await paysera.transaction(captured.provider_reference.transaction_key!)).status, 'confirmed');

      const refund = await pos.command(created.body.id, 'refunds', { amount: 2350, refund_id: 'all' });
      assert.equal(refund.status, 201, JSON.stringify(refund.body));
      assert.equal(refund.body.payment.state, 'refunded');
    });

    it('the worker killed (SIGKILL) while the customer decides: a new worker process completes the payment once', async () => {
      const topology = on();
      const { pos, settle, client } = topology;
      const posTid = newTid();
      const payment: Payment = (await pos.create({ provider: 'settle', pos_id: 'till-6', pos_tid: posTid, amount: 990, currency: 'EUR' })).body;
      const tid = await scanPayment(pos, settle, payment);
      await eventually('the poll running on the worker', async () => {
        const { raw } = await client.workflow.getHandle(payment.id).describe();
        return (raw.pendingActivities ?? []).some((activity) => activity.activityType?.name === 'awaitProviderChange' && activity.state === STARTED);
      });
      const [worker] = topology.workers;
      await worker!.stop('SIGKILL');

      await settle.act(tid, 'approve');
      await topology.startWorker();
      assert.equal((await pos.waitForState(payment.id, 'captured', 60_000)).captured_amount, 990);
      assert.equal((await settle.request(tid)).outcome.captures.length, 1);
      assert.equal((await settle.requests('till-6', `m-a.${posTid}`)).length, 1);
    });
  });
});
