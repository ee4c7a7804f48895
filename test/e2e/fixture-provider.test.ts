/**
 * A fifth provider is one folder and one line of a plugin list: Toypay (test/fixtures/providers/
 * toypay, a made-up protocol) joins the built-in four here, and a payment of it runs end to end
 * through the public HTTP API — created, shown, paid by its customer (a signed callback wakes it),
 * refunded — while the OpenAPI document, the stack's provider list, the README's table and the
 * ingress's environment all follow from the list alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ingressEnv } from '../../src/provider-config';
import { providerVariablesTable } from '../../src/provider-table';
import { defaultPlugins } from '../../src/providers';
import { toypayPlugin } from '../fixtures/providers/toypay';
import { useStack } from '../support/e2e-stack';
import { call } from '../support/http';
import { newTid } from '../support/pos';

const plugins = [...defaultPlugins, toypayPlugin];
const e2e = useStack({ plugins });

describe('a fifth provider from a plugin folder', () => {
  it('takes a payment through the public API: QR, signed callback, capture, refund; a forged callback is 401', async () => {
    const { pos, stack } = e2e();
    const created = await pos.create({ provider: 'toypay', pos_id: 'till-1', pos_tid: newTid(), amount: 700, currency: 'EUR' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'awaiting_customer');
    const chargeId = created.body.provider_reference.charge_id;
    assert.equal(created.body.qr?.content, `TOYPAY:${chargeId}`);

    const forged = await call('POST', `${stack.ingressUrl}/v1/webhooks/toypay`, {
      raw: JSON.stringify({ charge_id: chargeId, reference: created.body.id, status: 'paid' }),
      headers: { 'content-type': 'application/json', 'x-toypay-signature': '00'.repeat(32) },
    });
    assert.equal(forged.status, 401);

    const paid = await call('POST', `${stack.sandboxUrl('toypay')}/_sandbox/charges/${chargeId}/pay`);
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    const captured = await pos.waitForState(created.body.id, 'captured');
    assert.equal(captured.captured_amount, 700);

    const refund = await pos.command(created.body.id, 'refunds', { amount: 200 });
    assert.equal(refund.status, 201, JSON.stringify(refund.body));
    const refunded = await pos.waitFor(created.body.id, (payment) => payment.refunded_amount === 200);
    assert.equal(refunded.state, 'partially_refunded');
  });

  it('is in the OpenAPI enums, the stack’s providers, the variables table and the ingress’s environment as declared', async () => {
    const { stack } = e2e();
    const openApi = await call<{ components: { schemas: { Payment: { properties: { provider: { enum: string[] } } } } } }>('GET', `${stack.ingressUrl}/openapi.json`);
    assert.deepEqual(openApi.body.components.schemas.Payment.properties.provider.enum, ['settle', 'tabby', 'seqr', 'paysera', 'toypay']);
    assert.deepEqual(stack.providers.find((endpoint) => endpoint.provider === 'toypay'), { provider: 'toypay', source: 'sandbox', url: stack.sandboxUrl('toypay'), hint: 'customer: POST /_sandbox/charges/<id>/pay', currencies: ['EUR'] });
    assert.match(providerVariablesTable(plugins), /^\| `TOYPAY_API_KEY` \| Toypay \| Bearer key of every call \| {2}\| yes \| worker \|$/m);
    const forIngress = ingressEnv(plugins, stack.env);
    assert.equal(forIngress.TOYPAY_API_KEY, undefined, 'the worker’s key stays out of the ingress');
    assert.equal(forIngress.TOYPAY_WEBHOOK_SECRET, stack.env.TOYPAY_WEBHOOK_SECRET);
  });

  it('an unknown provider is a 422 on provider that lists the configured ones', async () => {
    const answer = await e2e().pos.create({ provider: 'paypal', pos_id: 'till-1', pos_tid: newTid(), amount: 700, currency: 'EUR' });
    assert.equal(answer.status, 422);
    assert.deepEqual(answer.body.errors?.map((error) => error.field), ['provider']);
    assert.match(answer.body.errors?.[0]?.message ?? '', /settle.*tabby.*seqr.*paysera.*toypay/);
  });
});
