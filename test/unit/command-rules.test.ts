/**
 * The payment's command rules as plain functions: what each POS command is refused for, with which
 * problem type and field, before any workflow or server is involved.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cancelRefusal,
  captureRefusal,
  openRefusal,
  refundRefusal,
  retryRefusal,
  waitRefusal,
  wakeNotNeeded,
  type RefundContext,
} from '../../workflows/command-rules';
import type { CreatePaymentRequest, PaymentResource, Refund } from '../../workflows/payment';

const request: CreatePaymentRequest = {
  provider: 'settle',
  pos_id: 'till-1',
  pos_tid: 'order-1',
  amount: 2000,
  currency: 'EUR',
  capture_mode: 'manual',
  timeout_seconds: 120,
  description: null,
  line_items: null,
  provider_options: {},
};

function payment(overrides: Partial<PaymentResource> = {}): PaymentResource {
  return {
    id: 'pay:m-a:till-1:order-1', merchant_id: 'm-a', provider: 'settle', pos_id: 'till-1', pos_tid: 'order-1',
    amount: 2000, currency: 'EUR', capture_mode: 'manual', description: null,
    state: 'authorized', version: 4, qr: null, action_required: null,
    authorized_amount: 2000, captured_amount: 0, refunded_amount: 0, refunds: [], provider_reference: {}, failure: null,
    created_at: '2026-12-03T10:00:00.000Z', updated_at: '2026-12-03T10:00:00.000Z', expires_at: '2026-12-03T10:02:00.000Z', timeline: [],
    ...overrides,
  };
}

const refund = (refund_id: string, amount: number): Refund => ({ refund_id, amount, state: 'succeeded', reason: null, created_at: '2026-12-03T10:01:00.000Z', failure: null });

describe('create repeats', () => {
  it('takes the very same request (key order aside) and refuses another one as idempotency_conflict', () => {
    assert.equal(openRefusal(request, { ...request, provider_options: {} }), null);
    assert.equal(openRefusal(request, Object.fromEntries(Object.entries(request).reverse()) as unknown as CreatePaymentRequest), null);
    assert.deepEqual(openRefusal(request, { ...request, amount: 2001 }), {
      type: 'idempotency_conflict',
      message: 'pos_id till-1 / pos_tid order-1 already identify a payment with a different request',
    });
  });
});

describe('long poll versions', () => {
  it('accepts 0 up to the current version and names the field otherwise', () => {
    assert.equal(waitRefusal(0, 4), null);
    assert.equal(waitRefusal(4, 4), null);
    for (const bad of [5, -1, 1.5, Number.NaN]) {
      assert.deepEqual(waitRefusal(bad, 4)?.field, { field: 'wait_for_version', message: "must be between 0 and the payment's version 4" });
    }
  });
});

describe('cancel', () => {
  it('is taken while the payment can be cancelled, again once cancelled, and refused once decided otherwise', () => {
    for (const state of ['pending', 'awaiting_customer', 'authorized', 'cancelled'] as const) assert.equal(cancelRefusal(payment({ state })), null);
    assert.deepEqual(cancelRefusal(payment({ state: 'captured' })), { type: 'invalid_state', message: 'a payment in state captured cannot be cancelled' });
  });
});

describe('capture', () => {
  const fresh = { accepted: null, cancelling: false };

  it('takes a capture of the whole authorization or of 1..authorized', () => {
    assert.equal(captureRefusal(payment(), fresh, null), null);
    assert.equal(captureRefusal(payment(), fresh, 1), null);
    assert.equal(captureRefusal(payment(), fresh, 2000), null);
  });

  it('refuses amounts outside 1..authorized as a field error', () => {
    for (const amount of [0, -5, 2001, 10.5]) {
      assert.deepEqual(captureRefusal(payment(), fresh, amount), {
        type: 'validation_failed',
        message: 'amount must be an integer between 1 and the authorized 2000',
        field: { field: 'amount', message: 'must be between 1 and 2000' },
      });
    }
  });

  it('answers the repeat of the accepted capture and refuses a different one, whatever the state now', () => {
    const accepted = { accepted: { amount: 1500 }, cancelling: false };
    assert.equal(captureRefusal(payment({ state: 'captured' }), accepted, 1500), null);
    assert.deepEqual(captureRefusal(payment({ state: 'captured' }), accepted, null), {
      type: 'invalid_state',
      message: 'a capture of 15.00 EUR was already accepted; a capture of the whole authorization is a different command',
    });
  });

  it('refuses auto mode, a payment not authorized, and a payment being cancelled', () => {
    assert.equal(captureRefusal(payment({ capture_mode: 'auto' }), fresh, null)?.message, 'this payment captures automatically (capture_mode auto)');
    assert.equal(captureRefusal(payment({ state: 'awaiting_customer' }), fresh, null)?.message, 'a payment in state awaiting_customer cannot be captured');
    assert.equal(captureRefusal(payment(), { accepted: null, cancelling: true }, null)?.message, 'the payment is being cancelled: its authorization is being released');
  });
});

describe('refund', () => {
  const captured = payment({ state: 'captured', captured_amount: 2000 });
  const open: RefundContext = { existing: undefined, refundable: 2000, windowOpen: true, refundsPartially: true };
  const command = (amount: number, refund_id: string | null = null) => ({ amount, refund_id, reason: null });

  it('takes a refund up to what is left, and the very repeat of a refund_id', () => {
    assert.equal(refundRefusal(captured, open, command(2000)), null);
    assert.equal(refundRefusal(captured, { ...open, existing: refund('r-1', 500), refundable: 0 }, command(500, 'r-1')), null);
  });

  it('refuses the same refund_id with another amount as idempotency_conflict', () => {
    assert.deepEqual(refundRefusal(captured, { ...open, existing: refund('r-1', 500) }, command(700, 'r-1')), {
      type: 'idempotency_conflict',
      message: 'refund_id r-1 already names a refund of 5.00 EUR; a refund of 7.00 EUR needs another refund_id',
    });
  });

  it('refuses more than is left, naming both amounts', () => {
    assert.deepEqual(refundRefusal(captured, { ...open, refundable: 500 }, command(600)), {
      type: 'refund_exceeds_captured',
      message: 'refund of 6.00 EUR exceeds the 5.00 EUR left to refund',
    });
  });

  it('refuses outside a refundable state, after the window, with a malformed id, and partially where the provider cannot', () => {
    assert.equal(refundRefusal(payment(), open, command(100))?.type, 'invalid_state');
    assert.equal(refundRefusal(captured, { ...open, windowOpen: false }, command(100))?.message, 'a payment in state captured cannot be refunded');
    assert.deepEqual(refundRefusal(captured, open, command(100, 'no spaces'))?.field, { field: 'refund_id', message: 'must match ^[a-zA-Z0-9_.-]{1,64}$' });
    assert.deepEqual(refundRefusal(captured, { ...open, refundsPartially: false }, command(100)), {
      type: 'partial_refund_unsupported',
      message: 'settle can only refund the whole 20.00 EUR at once',
    });
    assert.equal(refundRefusal(captured, { ...open, refundsPartially: false }, command(2000)), null);
  });
});

describe('retry', () => {
  const asked = payment({ state: 'awaiting_customer', action_required: 'retry_or_cancel' });
  const running = payment({ state: 'awaiting_customer', action_required: null });

  it('is taken when the lapsed window asks for it, and as a repeat while the window it started runs', () => {
    assert.equal(retryRefusal(asked, { windowRestartedByRetry: false, cancelling: false }), null);
    assert.equal(retryRefusal(running, { windowRestartedByRetry: true, cancelling: false }), null);
  });

  it('is refused when nobody asked, and while a cancel is under way', () => {
    assert.equal(retryRefusal(running, { windowRestartedByRetry: false, cancelling: false })?.type, 'invalid_state');
    assert.equal(retryRefusal(payment({ state: 'captured' }), { windowRestartedByRetry: true, cancelling: false })?.type, 'invalid_state');
    assert.equal(retryRefusal(asked, { windowRestartedByRetry: false, cancelling: true })?.message, 'the payment is being cancelled: there is no window to retry');
  });
});

describe('wakes', () => {
  const waiting = { state: 'awaiting_customer' as const, customerKnown: false, now: 10_000, lastWakeAt: 9_000, wakeIntervalMs: 500, readsEveryWakeWhenAuthorized: true, settling: false };

  it('are needed while something waits on the provider and the last one is a poll interval old', () => {
    assert.equal(wakeNotNeeded('wake', waiting), null);
    assert.equal(wakeNotNeeded('wake', { ...waiting, state: 'authorized' }), null);
  });

  it('are refused when closer than a poll interval, when nothing waits, and for a known customer', () => {
    assert.equal(wakeNotNeeded('wake', { ...waiting, lastWakeAt: 9_600 }), 'woken less than a poll interval ago');
    assert.equal(wakeNotNeeded('wake', { ...waiting, state: 'captured' }), 'the payment is captured: nothing waits on the provider');
    assert.equal(wakeNotNeeded('customer_token', { ...waiting, lastWakeAt: 9_999 }), null);
    assert.equal(wakeNotNeeded('customer_token', { ...waiting, customerKnown: true }), 'the customer is already known');
  });

  it('in authorized, where no poll runs, are all needed but while a capture or cancel is under way; payments from before 0.6.0 still coalesce them', () => {
    const authorized = { ...waiting, state: 'authorized' as const, lastWakeAt: 9_900 };
    assert.equal(wakeNotNeeded('wake', authorized), null);
    assert.equal(wakeNotNeeded('wake', { ...authorized, settling: true }), 'a capture or cancel is under way: its answer is the provider’s view');
    assert.equal(wakeNotNeeded('wake', { ...authorized, readsEveryWakeWhenAuthorized: false }), 'woken less than a poll interval ago');
  });
});
