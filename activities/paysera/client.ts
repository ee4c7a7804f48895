/**
 * Paysera Wallet API wire client for the merchant role (paysera.md §3): spots, orders,
 * transactions and payments, every request MAC-signed (§2). Paysera's deliberate answers (4xx
 * with `{error, error_description}`) come back as `PayseraRefusal`; transport faults, 5xx and cut
 * answers surface as retryable `ProviderUnavailableError`s (from sendJson).
 */
import { ProviderUnavailableError, sendJson, type JsonResponse } from '../http-json';
import { generateNonce, signRequest } from './mac';
import {
  errorSchema,
  orderSchema,
  paymentSchema,
  spotListSchema,
  spotSchema,
  transactionSchema,
  type Order,
  type Payment,
  type Spot,
  type SpotList,
  type SpotStatus,
  type Transaction,
} from './wire';

export interface PayseraCredentials {
  /** Scheme and host (and port); paths `/rest/v1/...` follow. */
  baseUrl: string;
  clientId: string;
  macKey: string;
  requestTimeoutMs: number;
}

export class PayseraRefusal extends Error {
  override name = 'PayseraRefusal';
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`Paysera ${status} ${error}: ${description}`);
  }
}

export interface OrderPayment {
  description: string;
  /** Cents. */
  price: number;
  currency: string;
}

/** The inline transaction of a new order (§4.2, §4.3). */
export interface OrderTransaction {
  payments: OrderPayment[];
  callback_uri: string;
  /** Reservation period in hours (the PHP library's unit). */
  reserve_for?: number;
  /** We always confirm ourselves, so the only value we ever send is false. */
  auto_confirm?: false;
}

export interface CreateOrderBody {
  transaction: OrderTransaction;
}

/** Confirm a lower amount than reserved, per payment id (§4.5). */
export type LowerPrices = Record<number, { price: number; currency: string }>;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

const API = '/rest/v1';

export class PayseraClient {
  constructor(private readonly credentials: PayseraCredentials) {}

  /** Finds (and, for an unknown identifier, auto-registers) the spot of a scanned code. */
  async spotByCode(code: string): Promise<Spot> {
    return spotSchema.parse(this.expectOk(await this.send('GET', `/spot?code=${encodeURIComponent(code)}`)));
  }

  async spot(id: number): Promise<Spot> {
    return spotSchema.parse(this.expectOk(await this.send('GET', `/spot/${id}`)));
  }

  async spots(filter: { status: SpotStatus; limit?: number; offset?: number }): Promise<SpotList> {
    const query = new URLSearchParams({ status: filter.status });
    if (filter.limit !== undefined) query.set('limit', String(filter.limit));
    if (filter.offset !== undefined) query.set('offset', String(filter.offset));
    return spotListSchema.parse(this.expectOk(await this.send('GET', `/spots?${query.toString()}`)));
  }

  /** Closes the spot; Paysera closes its pending orders too. */
  async closeSpot(id: number): Promise<Spot> {
    return spotSchema.parse(this.expectOk(await this.send('PUT', `/spot/${id}/close`)));
  }

  /**
   * Not idempotent (§9): after a lost answer, look for the order in `spot(id).orders` before
   * trying again.
   */
  async createOrder(spotId: number, body: CreateOrderBody): Promise<Order> {
    return orderSchema.parse(this.expectOk(await this.send('POST', `/spot/${spotId}/order`, body)));
  }

  async order(id: number): Promise<Order> {
    return orderSchema.parse(this.expectOk(await this.send('GET', `/order/${id}`)));
  }

  async deleteOrder(id: number): Promise<Order> {
    return orderSchema.parse(this.expectOk(await this.send('DELETE', `/order/${id}`)));
  }

  async transaction(key: string): Promise<Transaction> {
    return transactionSchema.parse(this.expectOk(await this.send('GET', `/transaction/${encodeURIComponent(key)}`)));
  }

  /**
   * Captures a reserved transaction, in full or (with `lowerPrices`) partly. Null when Paysera
   * answers `{}` (the new API reference) rather than the transaction (the PHP library): §11 q2.
   */
  async confirmTransaction(key: string, lowerPrices?: LowerPrices): Promise<Transaction | null> {
    // Without lower prices the body stays empty: "empty body ⇒ confirm full amounts" (§4.5).
    const body = lowerPrices !== undefined && Object.keys(lowerPrices).length > 0 ? lowerPrices : undefined;
    return this.transactionOrEmpty(await this.send('PUT', `/transaction/${encodeURIComponent(key)}/confirm`, body));
  }

  /** Voids the transaction; null when Paysera answers `{}` (§11 q2). */
  async revokeTransaction(key: string): Promise<Transaction | null> {
    return this.transactionOrEmpty(await this.send('DELETE', `/transaction/${encodeURIComponent(key)}`));
  }

  async payment(id: number): Promise<Payment> {
    return paymentSchema.parse(this.expectOk(await this.send('GET', `/payment/${id}`)));
  }

  /** Refunds a confirmed, not yet `done` payment; null when Paysera answers `{}` (§3.2). */
  async cancelPayment(id: number): Promise<Payment | null> {
    const body = this.expectOk(await this.send('DELETE', `/payment/${id}`));
    return isEmptyObject(body) ? null : paymentSchema.parse(body);
  }

  private transactionOrEmpty(response: JsonResponse): Transaction | null {
    const body = this.expectOk(response);
    return isEmptyObject(body) ? null : transactionSchema.parse(body);
  }

  private expectOk(response: JsonResponse): unknown {
    if (response.status >= 200 && response.status < 300) return response.body;
    const error = errorSchema.safeParse(response.body);
    // Rate limiting is Paysera asking us to slow down, not a refusal: retry it like an outage.
    if (response.status === 429) throw new ProviderUnavailableError(`Paysera ${response.status} rate_limit_exceeded`);
    if (error.success) throw new PayseraRefusal(response.status, error.data.error, error.data.error_description ?? 'no description');
    throw new PayseraRefusal(response.status, 'unknown_error', response.text.slice(0, 200) || 'no description');
  }

  private send(method: Method, path: string, body?: unknown): Promise<JsonResponse> {
    const url = new URL(`${API}${path}`, this.credentials.baseUrl);
    const text = body === undefined ? undefined : JSON.stringify(body);
    const authorization = signRequest({
      clientId: this.credentials.clientId,
      macKey: this.credentials.macKey,
      method,
      url,
      body: text,
      ts: Math.floor(Date.now() / 1000),
      nonce: generateNonce(),
    });
    const headers: Record<string, string> = { Authorization: authorization, Accept: 'application/json' };
    if (text !== undefined) headers['Content-Type'] = 'application/json;charset=utf-8';
    return sendJson({ method, url: url.toString(), headers, body: text, timeoutMs: this.credentials.requestTimeoutMs });
  }
}

function isEmptyObject(body: unknown): boolean {
  return typeof body === 'object' && body !== null && !Array.isArray(body) && Object.keys(body).length === 0;
}
