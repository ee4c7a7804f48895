/**
 * Settle as a provider: the QR is our shortlink with the payment id as argstring; the scan arrives
 * as a `shortlink_scanned` callback carrying a scan token, and only then is the payment request
 * created (`customer = token:...`). With `provider_options.shortlink_id` (a till's own sticker) the
 * request is created up front with `customer = shortlink_id:<id>` and polling alone finds the scan.
 */
import { createHash } from 'node:crypto';
import type { ProviderObservation, ProviderPaymentContext, RefundCommand } from '../../workflows/provider-contract';
import { referenceValue, type AdapterPrepared, type ProviderAdapter, type Reference } from '../provider';
import { SettleClient, SettleRefusal, type CreatePaymentRequestBody, type SettleCredentials } from './client';
import { observationOf } from './status';

export interface SettleSettings extends SettleCredentials {
  shortlinkId: string;
  /** `${PUBLIC_BASE_URL}/v1/webhooks/settle`: where Settle posts payment callbacks. */
  callbackUrl: string;
  allowCredit: boolean;
  pollIntervalMs: number;
  /** SETTLE_REAUTH_BEFORE_SECONDS in ms: renew a manual-mode authorization this long before it lapses. */
  renewBeforeMs: number;
}

const SETTLE_ID_MAX = 64;
const EXPIRY_MARGIN_SECONDS = 300;
const SETTLE_MAX_EXPIRES_IN = 2_592_000;

/**
 * Settle's `pos_tid` must be unique per `pos_id` across every merchant sharing our Settle account:
 * `<merchant>.<pos_tid>` when it fits in 64 characters, else a digest of the payment id.
 */
export function settlePosTid(payment: ProviderPaymentContext): string {
  const readable = `${payment.merchant_id}.${payment.request.pos_tid}`;
  if (readable.length <= SETTLE_ID_MAX) return readable;
  return `h.${createHash('sha256').update(payment.payment_id).digest('hex').slice(0, 40)}`;
}

export function shortlinkUrl(shortlinkId: string, argstring = ''): string {
  return `http://settle.eu/s/${shortlinkId}/${argstring}`;
}

const tidOf = (reference: Reference) => referenceValue(reference, 'tid', 'Settle');

export class SettleAdapter implements ProviderAdapter {
  private readonly client: SettleClient;
  readonly pollIntervalMs: number;
  readonly renewBeforeMs: number;

  constructor(private readonly settings: SettleSettings) {
    this.client = new SettleClient(settings);
    this.pollIntervalMs = settings.pollIntervalMs;
    this.renewBeforeMs = settings.renewBeforeMs;
  }

  async prepare(payment: ProviderPaymentContext): Promise<AdapterPrepared> {
    const sticker = payment.request.provider_options.shortlink_id;
    if (sticker === undefined) {
      // Payment ids are [a-zA-Z0-9_.-] joined by ':', all legal in a URL path segment as they are.
      const argstring = payment.payment_id;
      return { kind: 'ready', qr_content: shortlinkUrl(this.settings.shortlinkId, argstring), reference: { shortlink_id: this.settings.shortlinkId }, observation: null };
    }
    const observation = await this.createRequest(payment, `shortlink_id:${sticker}`);
    return { kind: 'ready', qr_content: shortlinkUrl(sticker), reference: { ...observation.reference, shortlink_id: sticker }, observation };
  }

  engage(payment: ProviderPaymentContext, _reference: Reference, token: string): Promise<ProviderObservation> {
    return this.createRequest(payment, token);
  }

  async observe(_payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    return observationOf(await this.client.outcome(tidOf(reference)));
  }

  async capture(payment: ProviderPaymentContext, reference: Reference, amount: number | null): Promise<ProviderObservation> {
    const tid = tidOf(reference);
    const body = amount === null
      ? { action: 'capture' as const }
      : { action: 'capture' as const, amount, additional_amount: 0 as const, currency: payment.request.currency, capture_id: `${settlePosTid(payment)}.c` };
    try {
      await this.client.update(tid, body);
    } catch (error) {
      // A lost answer retried after Settle committed it comes back 409: the outcome tells the truth.
      if (!(error instanceof SettleRefusal) || error.status !== 409) throw refusalAsFailure(error, 'capture_refused');
      const observation = await this.observe(payment, reference);
      if (observation.status !== 'captured') throw error.toFailure('capture_refused');
      return observation;
    }
    return this.observe(payment, reference);
  }

  /** Aborts a pending request or releases an authorization; whatever Settle ends in is returned. */
  async cancel(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    const tid = tidOf(reference);
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const current = await this.observe(payment, reference);
      const action = current.status === 'pending' ? 'abort' : current.status === 'authorized' ? 'release' : null;
      if (action === null) return current;
      try {
        await this.client.update(tid, { action });
      } catch (error) {
        // 409: the customer acted between our read and our call; read again and decide again.
        if (!(error instanceof SettleRefusal) || error.status !== 409) throw refusalAsFailure(error, 'cancel_refused');
      }
    }
    return this.observe(payment, reference);
  }

  async renewAuthorization(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    try {
      await this.client.update(tidOf(reference), { action: 'reauth' });
    } catch (error) {
      if (!(error instanceof SettleRefusal) || error.status !== 409) throw refusalAsFailure(error, 'reauth_refused');
    }
    return this.observe(payment, reference);
  }

  async refund(payment: ProviderPaymentContext, reference: Reference, refund: RefundCommand): Promise<void> {
    const tid = tidOf(reference);
    const body = { action: 'refund' as const, amount: refund.amount, additional_amount: 0 as const, currency: payment.request.currency, refund_id: refund.refund_id };
    try {
      await this.client.update(tid, body);
    } catch (error) {
      if (!(error instanceof SettleRefusal) || error.status !== 409) throw refusalAsFailure(error, 'refund_refused');
      const outcome = await this.client.outcome(tid);
      // Our own earlier attempt may have landed with its answer lost: that refund is done, not refused.
      if (!outcome.refunds.some((r) => r.id === refund.refund_id)) throw error.toFailure('refund_refused');
    }
  }

  private async createRequest(payment: ProviderPaymentContext, customer: string): Promise<ProviderObservation> {
    const { request } = payment;
    const body: CreatePaymentRequestBody = {
      action: request.capture_mode === 'manual' ? 'AUTH' : 'SALE',
      amount: request.amount,
      currency: request.currency,
      allow_credit: this.settings.allowCredit,
      customer,
      pos_id: request.pos_id,
      pos_tid: settlePosTid(payment),
      callback_uri: `${this.settings.callbackUrl}?payment=${encodeURIComponent(payment.payment_id)}`,
      // Outlive our own deadline so that the payment ends by our abort, never by Settle's expiry racing it.
      expires_in: Math.min(request.timeout_seconds + EXPIRY_MARGIN_SECONDS, SETTLE_MAX_EXPIRES_IN),
      ...(request.description ? { text: request.description } : {}),
    };
    let tid: string;
    try {
      tid = await this.client.createPaymentRequest(body);
    } catch (error) {
      throw refusalAsFailure(error, 'provider_rejected');
    }
    return observationOf(await this.client.outcome(tid));
  }
}

/** Settle's deliberate refusals stop the retries; transport faults pass through to be retried. */
function refusalAsFailure(error: unknown, type: string): unknown {
  return error instanceof SettleRefusal ? error.toFailure(type) : error;
}
