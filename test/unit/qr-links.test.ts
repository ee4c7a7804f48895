/** Signed QR image links (src/ingress/qr-links.ts): scope, expiry, tampering, and which answers get signed. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QrImageLinks } from '../../src/ingress/qr-links';

const ID = 'pay:m-a:till-1:order-1';
const OTHER = 'pay:m-b:till-1:order-1';
const payment = (id: string, merchant: string) => ({ id, merchant_id: merchant, qr: { content: 'x', image_url: `/v1/payments/${encodeURIComponent(id)}/qr.svg` } });

/** A link's `exp` and `sig`, as the image route reads them. */
function parts(query: string): { exp: number; sig: string } {
  const params = new URLSearchParams(query);
  return { exp: Number(params.get('exp')), sig: params.get('sig') ?? '' };
}

describe('QR image links', () => {
  let now = Date.UTC(2026, 0, 1, 12, 0, 30);
  const links = new QrImageLinks('secret', 300, () => now);

  it('opens the payment it was issued for, for its merchant, until it expires (TTL rounded up to the minute)', () => {
    const { exp, sig } = parts(links.query('m-a', ID));
    assert.equal(exp, Date.UTC(2026, 0, 1, 12, 6, 0) / 1000);
    assert.deepEqual(links.verify(ID, exp, sig), { ok: true, merchantId: 'm-a' });
    now = exp * 1000 - 1;
    assert.equal(links.verify(ID, exp, sig).ok, true);
    now = exp * 1000;
    assert.deepEqual(links.verify(ID, exp, sig), { ok: false, reason: 'expired' });
    now = Date.UTC(2026, 0, 1, 12, 0, 30);
  });

  it('is the same link for a minute of long polls', () => {
    const first = links.query('m-a', ID);
    now += 20_000;
    assert.equal(links.query('m-a', ID), first);
    now -= 20_000;
  });

  it('refuses another payment, another merchant, a moved expiry, a changed signature and another key', () => {
    const { exp, sig } = parts(links.query('m-a', ID));
    assert.deepEqual(links.verify(OTHER, exp, sig), { ok: false, reason: 'invalid' });
    assert.deepEqual(links.verify('pay:m-a:till-1:order-2', exp, sig), { ok: false, reason: 'invalid' });
    assert.deepEqual(links.verify(ID, exp + 60, sig), { ok: false, reason: 'invalid' });
    const flipped = `${sig.slice(0, -1)}${sig.endsWith('A') ? 'B' : 'A'}`;
    assert.deepEqual(links.verify(ID, exp, flipped), { ok: false, reason: 'invalid' });
    assert.deepEqual(new QrImageLinks('another secret', 300, () => now).verify(ID, exp, sig), { ok: false, reason: 'invalid' });
    // Signed for merchant m-b but presented for m-a's payment id: the merchant is inside the id.
    const forOther = parts(links.query('m-b', ID));
    assert.deepEqual(links.verify(ID, forOther.exp, forOther.sig), { ok: false, reason: 'invalid' });
    assert.deepEqual(links.verify('not-a-payment-id', exp, sig), { ok: false, reason: 'invalid' });
  });

  it('an expired forgery is "invalid", never "expired": expiry is only told about genuine links', () => {
    assert.deepEqual(links.verify(ID, 1, 'A'.repeat(22)), { ok: false, reason: 'invalid' });
  });

  it('keys derived from the API keys agree across ingresses whatever the order the keys are listed in', () => {
    const a = QrImageLinks.fromApiKeys(new Map([['k1', 'm-a'], ['k2', 'm-b']]), 300);
    const b = QrImageLinks.fromApiKeys(new Map([['k2', 'm-b'], ['k1', 'm-a']]), 300);
    const { exp, sig } = parts(a.query('m-a', ID));
    assert.equal(b.verify(ID, exp, sig).ok, true);
  });

  it('signs the image URL of every payment in an answer: bare, in a page, in a refund or a problem', () => {
    let sent: unknown;
    const res = { json: (body: unknown) => { sent = body; return res; } } as unknown as Parameters<typeof links.signAnswers>[1];
    links.signAnswers({} as Parameters<typeof links.signAnswers>[0], res, () => undefined);
    const signed = (value: unknown) => /\/qr\.svg\?exp=\d+&sig=[A-Za-z0-9_-]{22}$/.test((value as { qr: { image_url: string } }).qr.image_url);

    res.json(payment(ID, 'm-a'));
    assert.ok(signed(sent));
    res.json({ data: [payment(ID, 'm-a'), payment(OTHER, 'm-b')], next_cursor: null });
    assert.ok((sent as { data: unknown[] }).data.every(signed));
    res.json({ refund: { refund_id: 'r' }, payment: payment(ID, 'm-a') });
    assert.ok(signed((sent as { payment: unknown }).payment));
    res.json({ code: 'invalid_state', payment: { ...payment(ID, 'm-a'), qr: null } });
    assert.equal((sent as { payment: { qr: null } }).payment.qr, null);
    res.json({ status: 'ok' });
    assert.deepEqual(sent, { status: 'ok' });
  });
});
