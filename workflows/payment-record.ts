/**
 * The payment resource as the workflow keeps it. Every visible change goes through here, so the
 * version, the timeline, `updated_at`, the search attributes and the Web UI details never disagree.
 */
import { setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import { canonicalJson } from './canonical-json';
import { formatMinorUnits } from './money';
import { paymentChanged, paymentStarted, refundSettled } from './payment-events';
import type { Failure, PaymentInput, PaymentResource, PaymentState, Refund } from './payment';
import type { ProviderObservation } from './provider-contract';
import { PaymentState as PaymentStateAttribute } from './search-attributes';

export class PaymentRecord {
  readonly resource: PaymentResource;

  constructor(input: PaymentInput, startedAt: Date) {
    const { request } = input;
    const created = startedAt.toISOString();
    this.resource = {
      id: input.payment_id,
      merchant_id: input.merchant_id,
      provider: request.provider,
      pos_id: request.pos_id,
      pos_tid: request.pos_tid,
      amount: request.amount,
      currency: request.currency,
      capture_mode: request.capture_mode,
      description: request.description,
      state: 'pending',
      version: 1,
      qr: null,
      action_required: null,
      authorized_amount: 0,
      captured_amount: 0,
      refunded_amount: 0,
      refunds: [],
      provider_reference: {},
      failure: null,
      created_at: created,
      updated_at: created,
      expires_at: new Date(startedAt.getTime() + request.timeout_seconds * 1000).toISOString(),
      timeline: [{ state: 'pending', at: created, detail: null }],
    };
    this.publishDetails();
    paymentStarted(this.resource);
  }

  get state(): PaymentState {
    return this.resource.state;
  }

  /** Moves to `state` (or records a new detail in the same state) as one visible change. */
  transition(state: PaymentState, detail: string | null): void {
    const from = this.resource.state;
    const stateChanged = state !== from;
    this.resource.state = state;
    // A decision the POS was asked for is moot once the payment moved on.
    if (state !== 'awaiting_customer') this.resource.action_required = null;
    this.resource.timeline.push({ state, at: new Date().toISOString(), detail });
    this.bumpVersion();
    if (stateChanged) upsertSearchAttributes([{ key: PaymentStateAttribute, value: state }]);
    this.publishDetails();
    paymentChanged(this.resource, from, detail);
  }

  /** Asks the POS to decide (e.g. retry or cancel) while the payment keeps waiting. */
  requireAction(action: 'retry_or_cancel', detail: string): void {
    this.resource.action_required = action;
    this.transition(this.resource.state, detail);
  }

  clearAction(detail: string): void {
    this.resource.action_required = null;
    this.transition(this.resource.state, detail);
  }

  showQr(content: string, reference: Record<string, string>): void {
    this.resource.qr = { content, image_url: `/v1/payments/${encodeURIComponent(this.resource.id)}/qr.svg` };
    this.resource.provider_reference = { ...this.resource.provider_reference, ...reference };
    this.transition('awaiting_customer', 'QR shown to the customer');
  }

  /** Takes over the provider's amounts and references; the caller decides the resulting state. */
  absorb(observation: ProviderObservation): void {
    const before = canonicalJson(this.providerView());
    this.resource.authorized_amount = observation.authorized_amount;
    this.resource.captured_amount = observation.captured_amount;
    this.resource.provider_reference = { ...this.resource.provider_reference, ...observation.reference };
    if (observation.failure) this.resource.failure = observation.failure;
    // What the provider told us is visible in the resource: a change is a new version for long polls.
    if (canonicalJson(this.providerView()) !== before) this.bumpVersion();
  }

  private providerView() {
    const { authorized_amount, captured_amount, provider_reference, failure } = this.resource;
    return { authorized_amount, captured_amount, provider_reference, failure };
  }

  fail(failure: Failure): void {
    this.resource.failure = failure;
    this.resource.qr = null;
    this.transition('failed', failure.message);
  }

  addRefund(refund: Refund): void {
    this.resource.refunds.push(refund);
    this.bumpVersion();
  }

  settleRefund(refundId: string, outcome: { failure: Failure | null }): Refund {
    const refund = this.findRefund(refundId);
    if (!refund) throw new Error(`unknown refund ${refundId}`);
    refund.state = outcome.failure ? 'failed' : 'succeeded';
    refund.failure = outcome.failure;
    this.resource.refunded_amount = this.refundedAmount();
    refundSettled(this.resource, refund);
    const state = this.resource.refunded_amount === 0 ? 'captured'
      : this.resource.refunded_amount >= this.resource.captured_amount ? 'refunded' : 'partially_refunded';
    const amount = `${formatMinorUnits(refund.amount, this.resource.currency)} ${this.resource.currency}`;
    this.transition(state, outcome.failure ? `refund ${refund.refund_id} of ${amount} failed` : `refunded ${amount} (${refund.refund_id})`);
    return refund;
  }

  findRefund(refundId: string): Refund | undefined {
    return this.resource.refunds.find((refund) => refund.refund_id === refundId);
  }

  /** Captured money not yet refunded nor promised to a refund in flight. */
  refundableAmount(): number {
    const committed = this.resource.refunds
      .filter((refund) => refund.state !== 'failed')
      .reduce((sum, refund) => sum + refund.amount, 0);
    return this.resource.captured_amount - committed;
  }

  private refundedAmount(): number {
    return this.resource.refunds.filter((r) => r.state === 'succeeded').reduce((sum, r) => sum + r.amount, 0);
  }

  private bumpVersion(): void {
    this.resource.version += 1;
    this.resource.updated_at = new Date().toISOString();
  }

  private publishDetails(): void {
    const { state, amount, currency, captured_amount, refunded_amount, expires_at } = this.resource;
    const lines = [`**${state}** · ${formatMinorUnits(amount, currency)} ${currency}`];
    if (state === 'awaiting_customer') lines.push(`waiting for the customer until ${expires_at}`);
    if (captured_amount > 0) lines.push(`captured ${formatMinorUnits(captured_amount, currency)}, refunded ${formatMinorUnits(refunded_amount, currency)}`);
    setCurrentDetails(lines.join('\n\n'));
  }
}
