/**
 * Settle Merchant API v1 wire client: SECRET auth on every call, KEY-level RSA signing where Settle
 * demands it (refunds). Answers Settle gave on purpose come back as `SettleRefusal`; everything that
 * says "try again" (5xx, timeouts, resets, cut bodies) surfaces as a retryable error.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { sendJson, ProviderUnavailableError, type JsonResponse } from '../http-json';
import { signRequest } from './signature';
import { createdSchema, errorSchema, settleOutcomeSchema, type SettleOutcome } from './wire';

const MEDIA_TYPE = 'application/vnd.mcash.api.merchant.v1+json';

export interface SettleCredentials {
  /** Up to and including `/merchant/v1/`. */
  baseUrl: string;
  merchantId: string;
  userId: string;
  secret: string;
  /** Our API user's RSA private key (PEM), needed for KEY-level calls such as refunds. */
  privateKeyPem: string | null;
  requestTimeoutMs: number;
}

/** Settle understood the request and said no (400/401/404/409). */
export class SettleRefusal extends Error {
  override name = 'SettleRefusal';
  constructor(readonly status: number, readonly errorType: string, description: string) {
    super(`Settle ${status} ${errorType}: ${description}`);
  }

  /** For refusals no retry can change: Temporal must not retry them. */
  toFailure(type: string): ApplicationFailure {
    return ApplicationFailure.nonRetryable(this.message, type);
  }
}

export interface CreatePaymentRequestBody {
  action: 'SALE' | 'AUTH';
  amount: number;
  currency: string;
  allow_credit: boolean;
  customer: string;
  pos_id: string;
  pos_tid: string;
  callback_uri: string;
  expires_in: number;
  text?: string;
  max_scan_age?: number;
}

export type UpdateBody =
  | { action: 'capture' | 'reauth' | 'abort' | 'release' }
  | { action: 'capture'; amount: number; additional_amount: 0; currency: string; capture_id: string }
  | { action: 'refund'; amount: number; additional_amount: 0; currency: string; refund_id: string };

export class SettleClient {
  constructor(private readonly credentials: SettleCredentials) {}

  /** Idempotent on (pos_id, pos_tid): a repeat of the same body answers 200 with the same tid. */
  async createPaymentRequest(body: CreatePaymentRequestBody): Promise<string> {
    const response = await this.send('POST', 'payment_request/', body, 'SECRET');
    return createdSchema.parse(this.expect(response, [200, 201]));
  }

  async outcome(tid: string): Promise<SettleOutcome> {
    const response = await this.send('GET', `payment_request/${encodeURIComponent(tid)}/outcome/`, undefined, 'SECRET');
    return settleOutcomeSchema.parse(this.expect(response, [200]));
  }

  async update(tid: string, body: UpdateBody): Promise<void> {
    const level = body.action === 'refund' ? 'KEY' : 'SECRET';
    const response = await this.send('PUT', `payment_request/${encodeURIComponent(tid)}/`, body, level);
    this.expect(response, [204]);
  }

  private expect(response: JsonResponse, ok: number[]): unknown {
    if (ok.includes(response.status)) return response.body;
    const error = errorSchema.safeParse(response.body);
    const errorType = (error.success && error.data.error_type) || 'unknown_error';
    const description = (error.success && error.data.error_description) || 'no description';
    throw new SettleRefusal(response.status, errorType, description);
  }

  private async send(method: 'GET' | 'POST' | 'PUT', path: string, body: object | undefined, level: 'SECRET' | 'KEY'): Promise<JsonResponse> {
    const url = new URL(path, this.credentials.baseUrl).toString();
    const text = body === undefined ? '' : JSON.stringify(body);
    const identity = { 'X-Settle-Merchant': this.credentials.merchantId, 'X-Settle-User': this.credentials.userId };
    const headers: Record<string, string> = { Accept: MEDIA_TYPE, ...identity };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (level === 'KEY') {
      if (!this.credentials.privateKeyPem) {
        throw ApplicationFailure.nonRetryable('SETTLE_PRIVATE_KEY is not configured; Settle refunds need KEY-level signing', 'configuration_error');
      }
      Object.assign(headers, signRequest({ method, url, body: text, identity, privateKeyPem: this.credentials.privateKeyPem, now: new Date() }));
    } else {
      headers.Authorization = `SECRET ${this.credentials.secret}`;
    }
    return sendJson({ method, url, headers, body: body === undefined ? undefined : text, timeoutMs: this.credentials.requestTimeoutMs });
  }
}

export { ProviderUnavailableError };
