/**
 * The two outsides the bench plays: the till (the public POS API, contract shared/spec/pos-api.md)
 * and the Settle customer with the sandbox's inspection API (/_sandbox/...). Only the fields the
 * bench reads are typed: it talks to the service as an integrator would, not to its internals.
 */
import { callJson, type Answer } from './http';

export interface PaymentView {
  id: string;
  state: string;
  version: number;
  qr: { content: string } | null;
  provider_reference: Record<string, string | undefined>;
}

/** `503 capacity_exhausted`: the status and the contract's stable problem code, which say more than the status alone. */
export function describeAnswer(answer: Answer<unknown>): string {
  const body = answer.body;
  const code = typeof body === 'object' && body !== null && 'code' in body && typeof body.code === 'string' ? ` ${body.code}` : '';
  return `${answer.status}${code}`;
}

/** A long poll asks for this much; the contract caps it at 30 s. */
export const LONG_POLL_SECONDS = 25;
/** A long poll still unanswered this long after its own timeout is given up on (and counted as failed). */
const LONG_POLL_GRACE_MS = 35_000;

export class PosApi {
  constructor(
    readonly baseUrl: string,
    private readonly apiKey: string,
    private readonly merchantId: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * The id a payment has (README: `pay:<merchant>:<pos_id>:<pos_tid>`), also when its create never
   * answered: such a payment may exist all the same, and is cancelled with the others.
   */
  paymentId(posId: string, posTid: string): string {
    return `pay:${this.merchantId}:${posId}:${posTid}`;
  }

  /** Any POS call with this till's key; `path` is below the ingress, e.g. `/v1/payments/{id}/refunds`. */
  send<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, options: { body?: unknown; timeoutMs?: number; signal: AbortSignal }): Promise<Answer<T>> {
    const headers = { authorization: `Bearer ${this.apiKey}` };
    return callJson(method, `${this.baseUrl}${path}`, { body: options.body, headers, timeoutMs: options.timeoutMs ?? this.timeoutMs, signal: options.signal });
  }

  create(order: { posId: string; posTid: string; timeoutSeconds?: number }, signal: AbortSignal): Promise<Answer<PaymentView>> {
    const body = {
      provider: 'settle',
      pos_id: order.posId,
      pos_tid: order.posTid,
      amount: 2000,
      currency: 'EUR',
      description: 'bench',
      ...(order.timeoutSeconds !== undefined ? { timeout_seconds: order.timeoutSeconds } : {}),
    };
    return this.send('POST', '/v1/payments', { body, signal });
  }

  get(id: string, signal: AbortSignal): Promise<Answer<PaymentView>> {
    return this.send('GET', `/v1/payments/${id}`, { signal });
  }

  longPoll<P extends PaymentView = PaymentView>(id: string, knownVersion: number, signal: AbortSignal): Promise<Answer<P>> {
    const path = `/v1/payments/${id}?wait_for_version=${knownVersion}&timeout=${LONG_POLL_SECONDS}`;
    return this.send('GET', path, { timeoutMs: LONG_POLL_SECONDS * 1000 + LONG_POLL_GRACE_MS, signal });
  }

  cancel(id: string, signal: AbortSignal, timeoutMs = this.timeoutMs): Promise<Answer<unknown>> {
    return this.send('POST', `/v1/payments/${id}/cancel`, { body: { reason: 'bench over' }, timeoutMs, signal });
  }
}

export class SettleCustomer {
  constructor(
    readonly sandboxUrl: string,
    private readonly timeoutMs: number,
  ) {}

  /** Scans the QR (`http://settle.eu/s/<shortlink>/<argstring>`): the sandbox sends the signed shortlink_scanned callback. */
  async scan(qrContent: string, signal: AbortSignal): Promise<void> {
    const match = /^http:\/\/settle\.eu\/s\/([^/]+)\/(.*)$/.exec(qrContent);
    if (!match) throw new Error(`not a Settle QR: ${qrContent}`);
    const answer = await callJson('POST', `${this.sandboxUrl}/_sandbox/shortlinks/${match[1]}/scan`, { body: { argstring: match[2] }, timeoutMs: this.timeoutMs, signal });
    if (answer.status !== 200) throw new Error(`scan answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }

  /** Approves in the "app"; resolves when the sandbox has answered, which is when the customer is done. */
  approve(tid: string, signal: AbortSignal): Promise<void> {
    return this.act(tid, 'approve', signal);
  }

  /** Declines in the "app". */
  reject(tid: string, signal: AbortSignal): Promise<void> {
    return this.act(tid, 'reject', signal);
  }

  private async act(tid: string, action: 'approve' | 'reject', signal: AbortSignal): Promise<void> {
    const answer = await callJson('POST', `${this.sandboxUrl}/_sandbox/payment_requests/${tid}/${action}`, { timeoutMs: this.timeoutMs, signal });
    if (answer.status !== 200) throw new Error(`${action} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  }

  /** How often the service has read this payment request's outcome so far (the provider poll). */
  async outcomeReads(tid: string, signal: AbortSignal): Promise<number> {
    const answer = await callJson<{ outcome_reads: number }>('GET', `${this.sandboxUrl}/_sandbox/payment_requests/${tid}`, { timeoutMs: this.timeoutMs, signal });
    if (answer.status !== 200) throw new Error(`payment request ${tid} answered ${answer.status}`);
    return answer.body.outcome_reads;
  }
}
