/**
 * Tabby as a provider (tabby.md, seeds/tabby-pos.md). The session create IS the set-up call: the QR
 * is its `web_url`, shown only when Tabby said `created` with links. Session create has no
 * idempotency key, so it is attempted once: any doubt fails the payment before a QR exists (an
 * unshown session cannot be paid and expires by itself), and a session that answered without links
 * is cancelled at once. Captures and refunds carry `reference_id`s derived from our ids.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { formatMinorUnits } from '../../workflows/money';
import type { ProviderObservation, ProviderPaymentContext, RefundCommand } from '../../workflows/provider-contract';
import { followsAnInterruptedAttempt } from '../attempts';
import { referenceValue, type AdapterPrepared, type ProviderAdapter, type Reference } from '../provider';
import { TabbyClient, TabbyRefusal, type CreateSessionBody, type TabbyCredentials } from './client';
import { observationOf } from './status';
import type { TabbyPayment, TabbySession } from './wire';

export interface TabbySettings extends TabbyCredentials {
  merchantCode: string;
  pollIntervalMs: number;
}

/** `attachment` carries the terminal's location when the POS sends it (provider_options). */
function attachmentOf(payment: ProviderPaymentContext, at: Date): CreateSessionBody['payment']['attachment'] {
  const { latitude, longitude } = payment.request.provider_options;
  if (latitude === undefined || longitude === undefined) return undefined;
  const body = JSON.stringify({ latitude: Number(latitude), longitude: Number(longitude), timestamp: at.toISOString() });
  return { body, content_type: 'application/vnd.tabby.v1+json' };
}

const required = (reference: Reference, key: 'payment_id' | 'session_id') => referenceValue(reference, key, 'Tabby');

export class TabbyAdapter implements ProviderAdapter {
  private readonly client: TabbyClient;
  readonly pollIntervalMs: number;

  constructor(private readonly settings: TabbySettings) {
    this.client = new TabbyClient(settings);
    this.pollIntervalMs = settings.pollIntervalMs;
  }

  async prepare(payment: ProviderPaymentContext): Promise<AdapterPrepared> {
    const { request } = payment;
    const session = await this.createSessionOnce({
      payment: {
        amount: formatMinorUnits(request.amount, request.currency),
        currency: request.currency,
        order: { reference_id: payment.payment_id },
        description: request.pos_id,
        attachment: attachmentOf(payment, new Date()),
      },
      merchant_code: this.settings.merchantCode,
      lang: 'en',
    });
    const observation = observationOf(session.payment);
    if (session.status === 'rejected') {
      const reason = session.configuration?.products?.installments?.rejection_reason ?? 'not eligible';
      return { kind: 'declined', observation: { ...observation, status: 'rejected', failure: { code: 'tabby_ineligible', message: `Tabby declined the customer's session: ${reason}` } } };
    }
    const links = session.configuration?.available_products?.installments?.[0];
    if (session.status !== 'created' || !links?.web_url || !links.qr_code) {
      // The session exists but cannot be shown: expire it so nothing is left waiting at Tabby.
      await this.client.cancelSession(session.id).catch(() => undefined);
      throw ApplicationFailure.nonRetryable(`Tabby answered session ${session.id} (${session.status}) without qr_code and web_url`, 'provider_incomplete_answer');
    }
    return {
      kind: 'ready',
      qr_content: links.web_url,
      reference: { session_id: session.id, payment_id: session.payment.id, qr_image_url: links.qr_code },
      observation,
    };
  }

  async observe(_payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    return observationOf(await this.client.payment(required(reference, 'payment_id')));
  }

  /** Captures (everything when null); a partial capture is followed by `close` to release the rest. */
  async capture(payment: ProviderPaymentContext, reference: Reference, amount: number | null): Promise<ProviderObservation> {
    const paymentId = required(reference, 'payment_id');
    let current = await this.client.payment(paymentId);
    if (current.status === 'AUTHORIZED') {
      const toCapture = amount ?? observationOf(current).authorized_amount - observationOf(current).captured_amount;
      try {
        current = await this.client.capture(paymentId, formatMinorUnits(toCapture, payment.request.currency), `${payment.payment_id}.capture`);
      } catch (error) {
        // Tabby's own auto-capture may have closed it first: the payment as it is now decides.
        if (!(error instanceof TabbyRefusal) || error.status !== 400) throw error;
        current = await this.client.payment(paymentId);
        if (observationOf(current).status !== 'captured') throw error.toFailure('capture_refused');
      }
    }
    if (current.status === 'AUTHORIZED') current = await this.closeOnce(paymentId);
    return observationOf(current);
  }

  /**
   * POS cancel and timeout: a CREATED payment's session is cancelled, an AUTHORIZED one is closed
   * (released). `session is finalized` means the customer finished first: read again and report.
   */
  async cancel(_payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    const paymentId = required(reference, 'payment_id');
    let current = await this.client.payment(paymentId);
    if (current.status === 'CREATED') {
      try {
        await this.client.cancelSession(required(reference, 'session_id'));
      } catch (error) {
        if (!(error instanceof TabbyRefusal) || error.status !== 400) throw error;
      }
      current = await this.client.payment(paymentId);
      if (current.status === 'EXPIRED') return { ...observationOf(current), status: 'cancelled', failure: null };
    }
    if (current.status === 'AUTHORIZED') current = await this.closeOnce(paymentId);
    return observationOf(current);
  }

  async refund(payment: ProviderPaymentContext, reference: Reference, refund: RefundCommand): Promise<void> {
    const paymentId = required(reference, 'payment_id');
    try {
      await this.client.refund(paymentId, formatMinorUnits(refund.amount, payment.request.currency), refund.refund_id, null);
    } catch (error) {
      if (!(error instanceof TabbyRefusal)) throw error;
      // An earlier attempt whose answer was lost may already have refunded under this reference.
      const current = await this.client.payment(paymentId);
      if (!current.refunds.some((r) => r.reference_id === refund.refund_id)) throw error.toFailure('refund_refused');
    }
  }

  private async createSessionOnce(body: CreateSessionBody): Promise<TabbySession> {
    if (followsAnInterruptedAttempt()) {
      // Tabby cannot find a session by our reference: report instead of opening a second one.
      throw ApplicationFailure.nonRetryable('an earlier Tabby session create for this payment was interrupted (worker stopped or timed out); a session may exist at Tabby, but its QR was never shown, so nobody can pay it and it expires by itself', 'provider_outcome_unknown');
    }
    try {
      return await this.client.createSession(body);
    } catch (error) {
      if (error instanceof TabbyRefusal) throw error.toFailure('provider_rejected');
      const message = error instanceof Error ? error.message : String(error);
      // No idempotency key: a retry could open a second session, so one attempt decides.
      throw ApplicationFailure.nonRetryable(`Tabby session create failed: ${message}`, 'provider_unavailable');
    }
  }

  /** `close`; "already closed" means someone (or an earlier attempt) closed it: read the result. */
  private async closeOnce(paymentId: string): Promise<TabbyPayment> {
    try {
      return await this.client.close(paymentId);
    } catch (error) {
      if (!(error instanceof TabbyRefusal) || error.status !== 400) throw error;
      return this.client.payment(paymentId);
    }
  }
}
