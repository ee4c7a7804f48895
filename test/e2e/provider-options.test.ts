/**
 * `provider_options` as the contract lists them, and SEQR terminals read like resources:
 * SEQR's optional `seqr_id` must be the sticker registered for the till; Paysera's `spot_id` is the
 * integer Paysera gives spots, sent as a JSON integer or a numeric string (the same request); a
 * till's terminal is 404 once unregistered, until a PUT registers it again.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { useStack } from '../support/e2e-stack';
import { call } from '../support/http';
import { newTid, type Answer } from '../support/pos';
import type { TestResponse } from '../support/http';

const e2e = useStack({ env: { PAYSERA_POLL_INTERVAL_MS: '200', SEQR_POLL_INTERVAL_MS: '200' } });
const auth = { authorization: 'Bearer key-a' };
const terminalUrl = (posId: string) => `${e2e().stack.ingressUrl}/v1/terminals/${posId}/seqr`;
const register = (posId: string, seqrId: string) => call('PUT', terminalUrl(posId), { body: { seqr_id: seqrId, name: `Till ${posId}` }, headers: auth });
const seqrOrder = (posId: string, options?: Record<string, unknown>) =>
  ({ provider: 'seqr', pos_id: posId, pos_tid: newTid(), amount: 4200, currency: 'SEK', ...(options ? { provider_options: options } : {}) });
const payseraOrder = (options: Record<string, unknown>) => ({ provider: 'paysera', pos_id: 'waiter-2', pos_tid: newTid(), amount: 1250, currency: 'EUR', provider_options: options });

/** A 422 validation_failed naming exactly `fields`; answers the messages. */
function assertInvalid(answer: TestResponse<Answer>, fields: string[]): string[] {
  assert.equal(answer.status, 422, JSON.stringify(answer.body));
  assert.equal(answer.body.code, 'validation_failed');
  assert.deepEqual(answer.body.errors?.map((error) => error.field), fields);
  return answer.body.errors?.map((error) => error.message) ?? [];
}

describe('SEQR provider_options.seqr_id', () => {
  const TILL = 'till-opt';
  before(async () => {
    assert.equal((await register(TILL, 'SQ7001')).status, 200);
  });

  it('the sticker registered for the till → 201 awaiting_customer, showing that sticker', async () => {
    const { pos } = e2e();
    const created = await pos.create(seqrOrder(TILL, { seqr_id: 'SQ7001' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'awaiting_customer');
    assert.equal(created.body.qr?.content, 'HTTP://SEQR.SE/QSQ7001');
    await pos.command(created.body.id, 'cancel', {});
  });

  it('another sticker → 422 naming both ids, and no payment is started', async () => {
    const { pos } = e2e();
    const body = seqrOrder(TILL, { seqr_id: 'SQ7002' });
    const [message] = assertInvalid(await pos.create(body), ['provider_options.seqr_id']);
    assert.match(message!, /SQ7002/);
    assert.match(message!, /SQ7001/);
    assert.match(message!, new RegExp(TILL));
    const never = await pos.get(`pay:m-a:${TILL}:${body.pos_tid}`);
    assert.equal(never.status, 404, JSON.stringify(never.body));
  });

  it('a till that is not registered stays 422 terminal_not_registered', async () => {
    const refused = await e2e().pos.create(seqrOrder('till-opt-nowhere', { seqr_id: 'SQ7001' }));
    assert.equal(refused.status, 422, JSON.stringify(refused.body));
    assert.equal(refused.body.code, 'terminal_not_registered');
  });

  it('a malformed seqr_id or an option SEQR does not take → 422 on that option', async () => {
    const { pos } = e2e();
    assertInvalid(await pos.create(seqrOrder(TILL, { seqr_id: 'SQ-7001' })), ['provider_options.seqr_id']);
    assertInvalid(await pos.create(seqrOrder(TILL, { seqr_id: 7001 })), ['provider_options.seqr_id']);
    const [message] = assertInvalid(await pos.create(seqrOrder(TILL, { spot_id: 5 })), ['provider_options.spot_id']);
    assert.match(message!, /not a SEQR option \(known: seqr_id\)/);
  });
});

describe('Paysera provider_options.spot_id', () => {
  it('a JSON integer → captured; the same id as a string is the same request', async () => {
    const { pos, paysera } = e2e();
    const spot = await paysera.spot('TABLE3');
    const body = payseraOrder({ spot_id: spot.id });
    const created = await pos.create(body);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'awaiting_customer');
    assert.equal(created.body.qr?.content, `PAYSERA*${e2e().stack.env.PAYSERA_LOCATION_ID}:TABLE3`);
    const again = await pos.create({ ...body, provider_options: { spot_id: String(spot.id) } });
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.id, created.body.id);
    await paysera.checkIn('TABLE3');
    await paysera.act(created.body, 'reserve');
    assert.equal((await pos.waitForState(created.body.id, 'captured')).captured_amount, 1250);
  });

  it('a numeric string → captured', async () => {
    const { pos, paysera } = e2e();
    const spot = await paysera.spot('TABLE4');
    const created = await pos.create(payseraOrder({ spot_id: String(spot.id) }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await paysera.checkIn('TABLE4');
    await paysera.act(created.body, 'reserve');
    assert.equal((await pos.waitForState(created.body.id, 'captured')).captured_amount, 1250);
  });

  it('anything but a positive integer → 422 on provider_options.spot_id', async () => {
    const { pos } = e2e();
    for (const spotId of [1.5, 'abc', '1.5', -3, 0, true, null]) {
      const [message] = assertInvalid(await pos.create(payseraOrder({ spot_id: spotId })), ['provider_options.spot_id']);
      assert.match(message!, /integer/, `spot_id ${JSON.stringify(spotId)}`);
    }
  });

  it('the table named twice, or not at all → 422 on provider_options', async () => {
    const { pos, paysera } = e2e();
    const spot = await paysera.spot('TABLE5');
    assertInvalid(await pos.create(payseraOrder({ spot_id: spot.id, spot_code: `PAYSERA*${e2e().stack.env.PAYSERA_LOCATION_ID}:TABLE5` })), ['provider_options']);
    assertInvalid(await pos.create(payseraOrder({})), ['provider_options']);
  });
});

describe('SEQR terminals read like resources', () => {
  it('PUT → GET 200 → DELETE → GET 404 (DELETE again 404) → PUT again → GET 200 registered', async () => {
    const { pos, seqr } = e2e();
    const TILL = 'till-cycle';
    const first = await register(TILL, 'SQ7101');
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal((await call('GET', terminalUrl(TILL), { headers: auth })).status, 200);

    const removed = await call('DELETE', terminalUrl(TILL), { headers: auth });
    assert.equal(removed.status, 200, JSON.stringify(removed.body));
    assert.equal(removed.body.status, 'unregistered');
    const gone = await call('GET', terminalUrl(TILL), { headers: auth });
    assert.equal(gone.status, 404, JSON.stringify(gone.body));
    assert.equal(gone.body.code, 'not_found');
    const removedAgain = await call('DELETE', terminalUrl(TILL), { headers: auth });
    assert.equal(removedAgain.status, 404, JSON.stringify(removedAgain.body));
    assert.equal((await pos.create(seqrOrder(TILL))).body.code, 'terminal_not_registered');

    const again = await register(TILL, 'SQ7101');
    assert.equal(again.status, 200, JSON.stringify(again.body));
    assert.equal(again.body.status, 'registered');
    assert.equal(again.body.seqr_id, 'SQ7101');
    assert.notEqual(again.body.terminal_id, first.body.terminal_id, 'registered anew at SEQR');
    const shown = await call('GET', terminalUrl(TILL), { headers: auth });
    assert.equal(shown.status, 200, JSON.stringify(shown.body));
    assert.deepEqual(shown.body, again.body);
    assert.ok((await seqr.terminals()).some((terminal) => terminal.terminal_id === again.body.terminal_id && terminal.registered));
    const paid = await pos.create(seqrOrder(TILL, { seqr_id: 'SQ7101' }));
    assert.equal(paid.status, 201, JSON.stringify(paid.body));
    await pos.command(paid.body.id, 'cancel', {});
  });

  it('a till never registered: GET and DELETE 404', async () => {
    assert.equal((await call('GET', terminalUrl('till-never-seen'), { headers: auth })).status, 404);
    assert.equal((await call('DELETE', terminalUrl('till-never-seen'), { headers: auth })).status, 404);
  });
});
