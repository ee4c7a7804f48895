/**
 * The payment resource as the workflow keeps it. Every visible change goes through here, so the
 * version, the timeline, `updated_at`, the search attributes and the Web UI details never disagree.
 */
import { setCurrentDetails, upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import { canonicalJson } from './canonical-json';
import { MEMO_BUDGET_CHARS, PAYMENT_MEMO, type PublishedPayment } from './messages';
import { formatMinorUnits } from './money';
import { PATCHES, type Patches } from './patches';
import { paymentChanged, paymentStarted, refundSettled } from './payment-events';
import type { Failure, PaymentInput, PaymentResource, PaymentState, Refund } from './payment';
import type { ProviderObservation } from './provider-contract';
import { PaymentState as PaymentStateAttribute } from './search-attributes';

export class PaymentRecord {
  private readonly payment: PaymentResource;
  /** The adapter's own notes about the payment at the provider (see `ProviderObservation.private_reference`). */
  private privateReference: Record<string, string> = {};
  /** The provider's answer changed the resource and no version counts it yet (see `absorb`). */
  private uncounted = false;
  /** Each version goes to the memo (PAYMENT_MEMO); histories from before 0.5.0 have no such events. */
  private readonly inMemo: boolean;

  constructor(
    input: PaymentInput,
    startedAt: Date,
    private readonly patches: Patches,
  ) {
    this.inMemo = patches.has(PATCHES.paymentInMemo);
    const { request } = input;
    const created = startedAt.toISOString();
    this.payment = {
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
    this.publishVersion();
    paymentStarted(this.payment);
  }

  /** The payment as readers see it; only this class's methods change it. */
  get resource(): Readonly<PaymentResource> {
    return this.payment;
  }

  get state(): PaymentState {
    return this.payment.state;
  }

  /** Moves to `state` (or records a new detail in the same state) as one visible change. */
  transition(state: PaymentState, detail: string | null): void {
    const from = this.payment.state;
    const stateChanged = state !== from;
    this.payment.state = state;
    // A decision the POS was asked for is moot once the payment moved on.
    if (state !== 'awaiting_customer') this.payment.action_required = null;
    this.payment.timeline.push({ state, at: new Date().toISOString(), detail });
    this.bumpVersion();
    this.uncounted = false;
    if (stateChanged) upsertSearchAttributes([{ key: PaymentStateAttribute, value: state }]);
    this.publishDetails();
    paymentChanged(this.payment, from, detail);
  }

  /** A line on the timeline that changes nothing else (a refused capture, an undelivered receipt). */
  note(detail: string): void {
    this.transition(this.payment.state, detail);
  }

  /** A decided payment shows no QR: nobody should scan it any more. */
  end(state: 'cancelled' | 'rejected' | 'expired' | 'failed', detail: string | null): void {
    this.payment.qr = null;
    this.transition(state, detail);
  }

  /** Asks the POS to decide (e.g. retry or cancel) while the payment keeps waiting. */
  requireAction(action: 'retry_or_cancel', detail: string): void {
    this.payment.action_required = action;
    this.transition(this.payment.state, detail);
  }

  clearAction(detail: string): void {
    this.payment.action_required = null;
    this.transition(this.payment.state, detail);
  }

  showQr(content: string, references: Pick<ProviderObservation, 'reference' | 'private_reference'>): void {
    this.payment.qr = { content, image_url: `/v1/payments/${encodeURIComponent(this.payment.id)}/qr.svg` };
    this.keepReferences(references);
    this.transition('awaiting_customer', 'QR shown to the customer');
  }

  /**
   * Takes over the provider's amounts and references; the caller decides the resulting state, then
   * calls `count()`. What the provider told us is visible in the resource, so a change is a new
   * version for long polls — one version with the transition it causes, not one each.
   */
  absorb(observation: ProviderObservation): void {
    const before = canonicalJson(this.providerView());
    this.payment.authorized_amount = observation.authorized_amount;
    this.payment.captured_amount = observation.captured_amount;
    this.keepReferences(observation);
    if (observation.failure) this.payment.failure = observation.failure;
    if (canonicalJson(this.providerView()) === before) return;
    if (this.patches.has(PATCHES.oneVersionPerChange)) this.uncounted = true;
    else this.bumpVersion();
  }

  /** Counts an absorbed change as a version of its own when no transition counted it. */
  count(): void {
    if (!this.uncounted) return;
    this.uncounted = false;
    this.bumpVersion();
  }

  /** Everything the adapter recorded, public and private: what it gets back on every call. */
  adapterReference(): Record<string, string> {
    return { ...this.payment.provider_reference, ...this.privateReference };
  }

  private keepReferences({ reference, private_reference }: Pick<ProviderObservation, 'reference' | 'private_reference'>): void {
    this.payment.provider_reference = { ...this.payment.provider_reference, ...reference };
    this.privateReference = { ...this.privateReference, ...private_reference };
  }

  private providerView() {
    const { authorized_amount, captured_amount, provider_reference, failure } = this.payment;
    return { authorized_amount, captured_amount, provider_reference, failure };
  }

  fail(failure: Failure): void {
    this.payment.failure = failure;
    this.end('failed', failure.message);
  }

  addRefund(refund: Refund): void {
    this.payment.refunds.push(refund);
    this.bumpVersion();
  }

  settleRefund(refundId: string, outcome: { failure: Failure | null }): Refund {
    const refund = this.findRefund(refundId);
    if (!refund) throw new Error(`unknown refund ${refundId}`);
    refund.state = outcome.failure ? 'failed' : 'succeeded';
    refund.failure = outcome.failure;
    this.payment.refunded_amount = this.refundedAmount();
    refundSettled(this.payment, refund);
    const state = this.payment.refunded_amount === 0 ? 'captured'
      : this.payment.refunded_amount >= this.payment.captured_amount ? 'refunded' : 'partially_refunded';
    const amount = `${formatMinorUnits(refund.amount, this.payment.currency)} ${this.payment.currency}`;
    this.transition(state, outcome.failure ? `refund ${refund.refund_id} of ${amount} failed` : `refunded ${amount} (${refund.refund_id})`);
    return refund;
  }

  findRefund(refundId: string): Refund | undefined {
    return this.payment.refunds.find((refund) => refund.refund_id === refundId);
  }

  /** Captured money not yet refunded nor promised to a refund in flight. */
  refundableAmount(): number {
    const committed = this.payment.refunds
      .filter((refund) => refund.state !== 'failed')
      .reduce((sum, refund) => sum + refund.amount, 0);
    return this.payment.captured_amount - committed;
  }

  private refundedAmount(): number {
    return this.payment.refunds.filter((r) => r.state === 'succeeded').reduce((sum, r) => sum + r.amount, 0);
  }

  /** Every caller has finished changing the resource when it counts the change. */
  private bumpVersion(): void {
    this.payment.version += 1;
    this.payment.updated_at = new Date().toISOString();
    this.publishVersion();
  }

  /**
   * Puts the resource in the memo, in the same workflow task as the change: a command answered from
   * the workflow and a read of the memo right after it agree, and a long poll sees the event. Each
   * version's event holds the whole resource, so a resource past MEMO_BUDGET_CHARS (dozens of
   * refunds) publishes only its version, and readers ask the workflow.
   */
  private publishVersion(): void {
    if (!this.inMemo) return;
    const published: PublishedPayment = JSON.stringify(this.payment).length <= MEMO_BUDGET_CHARS
      ? this.payment
      : { id: this.payment.id, version: this.payment.version, omitted: true };
    upsertMemo({ [PAYMENT_MEMO]: published });
  }

  private publishDetails(): void {
    const { state, amount, currency, captured_amount, refunded_amount, expires_at } = this.payment;
    const lines = [`**${state}** · ${formatMinorUnits(amount, currency)} ${currency}`];
    if (state === 'awaiting_customer') lines.push(`waiting for the customer until ${expires_at}`);
    if (captured_amount > 0) lines.push(`captured ${formatMinorUnits(captured_amount, currency)}, refunded ${formatMinorUnits(refunded_amount, currency)}`);
    setCurrentDetails(lines.join('\n\n'));
  }
}
