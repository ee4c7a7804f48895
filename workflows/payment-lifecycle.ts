/**
 * The payment's dealings with its provider, shared by every phase: what the provider said last,
 * and the steps that act on it (follow an observation, capture, cancel, tell the provider it is over).
 * Each step reads the intents and writes the record; none of them waits for a command.
 */
import { formatMinorUnits } from './money';
import { PAID_STATES, type PaymentInput } from './payment';
import { PaymentIntents } from './payment-intents';
import { PaymentRecord } from './payment-record';
import { failureOf, providerCall, settlingCall } from './provider-calls';
import { Patches, PATCHES } from './patches';
import type { ProviderObservation, ProviderPaymentContext, ProviderStatus, ProviderTraits } from './provider-contract';
import type { ProviderPoll } from './provider-poll';

export class PaymentLifecycle {
  readonly record: PaymentRecord;
  /** The changes this payment takes (patches.ts), decided when it starts. */
  readonly patches = new Patches();
  readonly intents = new PaymentIntents();
  /** What every provider call is about: ids and the request, never credentials. */
  readonly payment: ProviderPaymentContext;
  /** The provider's capabilities and cadences, known once the payment is set up. */
  traits: ProviderTraits | null = null;
  /** The provider's status as last seen; null while no provider charge exists. */
  providerStatus: ProviderStatus | null = null;
  authorizationExpiresAt: string | null = null;
  /** The cashier window running now was started by a retry (and has not lapsed since). */
  windowRestartedByRetry = false;
  refundWindowOpen = true;
  /** A capture or cancel is at the provider: its answer will be the provider's view after it. */
  settling = false;
  /** The customer phase's poll, while that phase lasts: a wake nudges it (payment-handlers.ts). */
  customerPoll: ProviderPoll | null = null;
  /** Set when the workflow is about to complete: waiting tills get the final payment at once. */
  finishing = false;
  /**
   * The provider refused the automatic capture while the authorization stands: it is not tried
   * again (the payment waits, authorized, with the refusal on its timeline, for the POS to cancel).
   */
  private autoCaptureRefused = false;

  constructor(input: PaymentInput) {
    this.record = new PaymentRecord(input, new Date(), this.patches);
    this.payment = { payment_id: input.payment_id, merchant_id: input.merchant_id, provider: input.request.provider, request: input.request };
  }

  /** Histories recorded before a trait existed carry none: their defaults are the behaviour of that time. */
  get refundsPartially(): boolean {
    return this.traits?.refunds_partially ?? true;
  }

  money(amount: number): string {
    const { currency } = this.record.resource;
    return `${formatMinorUnits(amount, currency)} ${currency}`;
  }

  /** What the adapter recorded about the payment at the provider, handed back on every call. */
  reference(): Record<string, string> {
    return this.record.adapterReference();
  }

  /**
   * Sets the payment up: the QR to show, and the provider charge when it needs no customer token.
   * Answers whether there is a customer to wait for (false: declined or failed, already decided).
   */
  async prepare(): Promise<boolean> {
    try {
      const prepared = await providerCall('prepare payment').preparePayment(this.payment);
      if (prepared.kind === 'declined') {
        await this.follow(prepared.observation);
        return false;
      }
      this.traits = prepared.traits;
      this.record.showQr(prepared.qr_content, prepared);
      if (prepared.observation) await this.follow(prepared.observation);
      return true;
    } catch (error) {
      this.record.fail(failureOf(error));
      return false;
    }
  }

  /** Moves the payment to whatever the provider says (and captures at once in auto mode). */
  async follow(observation: ProviderObservation): Promise<void> {
    const { record } = this;
    this.providerStatus = observation.status;
    this.authorizationExpiresAt = observation.authorization_expires_at;
    record.absorb(observation);
    switch (observation.status) {
      case 'pending':
        if (record.state !== 'awaiting_customer') record.transition('awaiting_customer', observation.detail);
        record.count();
        return;
      case 'authorized':
        if (record.state !== 'authorized') record.transition('authorized', `${this.money(observation.authorized_amount)} authorized (${observation.detail})`);
        record.count();
        if (record.resource.capture_mode === 'auto' && !this.intents.cancel && !this.autoCaptureRefused) await this.capture(null);
        return;
      case 'captured':
        if (PAID_STATES.includes(record.state)) {
          record.count();
          return;
        }
        record.transition('captured', `${this.money(observation.captured_amount)} captured (${observation.detail})`);
        if (this.traits?.confirms_capture ?? false) await this.confirmCapture();
        return;
      case 'cancelled':
      case 'rejected':
      case 'expired':
      case 'failed':
        record.end(observation.status, observation.failure?.message ?? observation.detail);
        return;
    }
  }

  /** Creates the provider charge for the customer who identified themselves. */
  async engageCustomer(token: string): Promise<void> {
    try {
      await this.follow(await providerCall('create provider charge for the customer').engageCustomer(this.payment, this.reference(), token));
    } catch (error) {
      this.record.fail(failureOf(error));
    }
  }

  /** Answers whether the provider took the capture (false: it refused, and its current view was followed). */
  async capture(amount: number | null): Promise<boolean> {
    const label = amount === null ? 'capture all' : `capture ${this.money(amount)}`;
    try {
      // No `await` is added around the call: where its answer lands among other work is part of every history.
      this.settling = true;
      const observation = await settlingCall(label).capturePayment(this.payment, this.reference(), amount);
      this.settling = false;
      await this.follow(observation);
      return true;
    } catch (error) {
      this.settling = false;
      // The capture was refused: the provider's current view decides what the payment is now.
      this.record.note(`capture refused: ${failureOf(error).message}`);
      if (this.record.resource.capture_mode === 'auto') this.autoCaptureRefused = this.patches.has(PATCHES.refusedCaptureIsAnswered);
      await this.observe('re-read after refused capture');
      return false;
    }
  }

  /** Reads the provider's view once and follows it. */
  async observe(summary: string): Promise<void> {
    await this.follow(await providerCall(summary).observePayment(this.payment, this.reference()));
  }

  async renewAuthorization(): Promise<void> {
    await this.follow(await settlingCall('renew authorization').renewAuthorization(this.payment, this.reference()));
  }

  /** Cancels at the provider; a `cancelled` answer becomes `endState`, anything else is the truth. */
  async cancelCharge(endState: 'cancelled' | 'expired', detail: string): Promise<void> {
    if (this.providerStatus === null) {
      this.record.end(endState, detail);
      return;
    }
    this.settling = true;
    let observation: ProviderObservation;
    try {
      observation = await settlingCall(`cancel (${endState})`).cancelAtProvider(this.payment, this.reference());
    } finally {
      this.settling = false;
    }
    if (observation.status === 'cancelled') {
      this.record.absorb(observation);
      this.record.end(endState, detail);
    } else {
      await this.follow(observation);
    }
  }

  /** The receipt confirmation never changes the money: a failure is only noted on the timeline. */
  private async confirmCapture(): Promise<void> {
    try {
      await providerCall('confirm the payment to the provider').confirmCapture(this.payment, this.reference());
    } catch (error) {
      this.record.note(`payment confirmation not delivered: ${failureOf(error).message}`);
    }
  }

  /** The payment is decided: a provider that keeps something open for it (a spot, `finishes_at_provider`) hears so now. */
  async finishAtProvider(): Promise<void> {
    try {
      await providerCall('tell the provider the payment is over').finishAtProvider(this.payment, this.reference());
    } catch (error) {
      this.record.note(`could not close at the provider: ${failureOf(error).message}`);
    }
  }
}
