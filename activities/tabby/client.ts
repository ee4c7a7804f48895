/**
 * Tabby Payments API v2 wire client: `Authorization: Bearer <secret key>` on every call. Tabby's
 * deliberate answers (4xx with `{status, errorType, error}`) come back as `TabbyRefusal`; transport
 * faults, 5xx and cut answers surface as retryable `ProviderUnavailableError`s.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { sendJson, type JsonResponse } from '../http-json';
import { tabbyErrorSchema, tabbyPaymentSchema, tabbySessionSchema, type TabbyPayment, type TabbySession } from './wire';

export interface TabbyCredentials {
  /** Scheme and host; paths `/api/v2/...` follow. */
  baseUrl: string;
  secretKey: string;
  requestTimeoutMs: number;
}

export class TabbyRefusal extends Error {
  override name = 'TabbyRefusal';
  constructor(readonly status: number, readonly errorType: string, readonly error: string) {
    super(`Tabby ${status} ${errorType}: ${error}`);
  }

  toFailure(type: string): ApplicationFailure {
    return ApplicationFailure.nonRetryable(this.message, type);
  }
}

export interface CreateSessionBody {
  payment: {
    amount: string;
    currency: string;
    order: { reference_id: string };
    description: string;
    attachment?: { body: string; content_type: 'application/vnd.tabby.v1+json' };
  };
  merchant_code: string;
  lang: 'en' | 'ar';
}

export class TabbyClient {
  constructor(private readonly credentials: TabbyCredentials) {}

  async createSession(body: CreateSessionBody): Promise<TabbySession> {
    return tabbySessionSchema.parse(this.expectOk(await this.send('POST', '/api/v2/checkout', body)));
  }

  async payment(paymentId: string): Promise<TabbyPayment> {
    return tabbyPaymentSchema.parse(this.expectOk(await this.send('GET', `/api/v2/payments/${encodeURIComponent(paymentId)}`)));
  }

  async cancelSession(sessionId: string): Promise<void> {
    this.expectOk(await this.send('POST', `/api/v2/checkout/${encodeURIComponent(sessionId)}/cancel`));
  }

  async capture(paymentId: string, amount: string, referenceId: string): Promise<TabbyPayment> {
    const response = await this.send('POST', `/api/v2/payments/${encodeURIComponent(paymentId)}/captures`, { amount, reference_id: referenceId });
    return tabbyPaymentSchema.parse(this.expectOk(response));
  }

  async refund(paymentId: string, amount: string, referenceId: string, reason: string | null): Promise<TabbyPayment> {
    const body = { amount, reference_id: referenceId, ...(reason ? { reason } : {}) };
    return tabbyPaymentSchema.parse(this.expectOk(await this.send('POST', `/api/v2/payments/${encodeURIComponent(paymentId)}/refunds`, body)));
  }

  async close(paymentId: string): Promise<TabbyPayment> {
    return tabbyPaymentSchema.parse(this.expectOk(await this.send('POST', `/api/v2/payments/${encodeURIComponent(paymentId)}/close`)));
  }

  private expectOk(response: JsonResponse): unknown {
    if (response.status >= 200 && response.status < 300) return response.body;
    const error = tabbyErrorSchema.safeParse(response.body);
    const errorType = (error.success && error.data.errorType) || 'unknown_error';
    const message = (error.success && error.data.error) || response.text.slice(0, 200) || 'no description';
    throw new TabbyRefusal(response.status, errorType, message);
  }

  private send(method: 'GET' | 'POST', path: string, body?: object): Promise<JsonResponse> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.credentials.secretKey}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return sendJson({
      method,
      url: new URL(path, this.credentials.baseUrl).toString(),
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      timeoutMs: this.credentials.requestTimeoutMs,
    });
  }
}
