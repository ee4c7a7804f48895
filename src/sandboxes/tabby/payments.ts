/**
 * The sandbox's behaviour around the state machine: creating sessions (with eligibility), the
 * customer's and the merchant's actions, each session's expiry deadline, the action log, and the
 * webhooks every change calls for.
 */
import type { Deadlines } from '../shared/deadlines';
import type { ResolvedConfig } from './config';
import type { Eligibility } from './eligibility';
import { badData, conflict, notFound, Refusal } from './errors';
import { isUuid, newId, newQrToken } from './ids';
import type { ActionLogEntry, MerchantAction, PaymentRecord } from './model';
import type { CaptureRequest, CreateSessionRequest, RefundRequest } from './schemas';
import type { PaymentStore } from './store';
import { capture, captureInFull, close, finishCheckout, refund, REPEAT, uncaptured, updateReference } from './transitions';
import type { WebhookNotifier } from './webhooks';

/** The reference_id Tabby's auto-capture uses (the sandbox's choice; Tabby does not document one). */
const AUTO_CAPTURE_REFERENCE = 'auto-capture';

export class TabbyService {
  constructor(
    private readonly config: ResolvedConfig,
    private readonly store: PaymentStore,
    private readonly deadlines: Deadlines,
    private readonly webhooks: WebhookNotifier,
    private readonly eligibility: Eligibility,
  ) {}

  /** POST /api/v2/checkout: a new session and payment every time (no idempotency, tabby.md §9). */
  createSession(request: CreateSessionRequest): PaymentRecord {
    const now = new Date();
    const { currency, minorAmount } = request.payment;
    const rejectionReason = this.eligibility.check(currency, minorAmount);
    const record: PaymentRecord = {
      id: newId(),
      sessionId: newId(),
      merchantCode: request.merchant_code,
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessionExpiryMs),
      closedAt: null,
      status: rejectionReason === null ? 'CREATED' : 'REJECTED',
      currency,
      amount: minorAmount,
      request,
      referenceId: request.payment.order.reference_id,
      rejectionReason,
      qrToken: newQrToken(),
      captures: [],
      refunds: [],
      actions: [],
      reads: 0,
    };
    this.store.add(record);
    // A rejected session never had a checkout to walk away from; nothing to expire and no webhook.
    if (record.status === 'CREATED') this.deadlines.set(record.id, record.expiresAt, () => this.expire(record.id));
    return record;
  }

  session(sessionId: string): PaymentRecord | Refusal {
    if (!isUuid(sessionId)) return badData('invalid session id');
    return this.store.bySession(sessionId) ?? notFound('no such session');
  }

  payment(paymentId: string): PaymentRecord | Refusal {
    if (!isUuid(paymentId)) return badData('invalid payment id');
    return this.store.get(paymentId) ?? notFound('no such payment');
  }

  /** GET /api/v2/payments/{id}, counted so the polling cadence shows. */
  read(paymentId: string): PaymentRecord | Refusal {
    const record = this.payment(paymentId);
    if (!(record instanceof Refusal)) record.reads += 1;
    return record;
  }

  /** POST /api/v2/checkout/{id}/cancel: the POS gives up on an unfinished checkout (seed 003). */
  cancelSession(sessionId: string): PaymentRecord | Refusal {
    const record = this.session(sessionId);
    if (record instanceof Refusal) return record;
    const ended = finishCheckout(record, 'EXPIRED');
    this.log(record, 'cancel', 'merchant', ended ? 200 : 400);
    if (!ended) return badData('session is finalized');
    this.checkoutEnded(record);
    return record;
  }

  capture(paymentId: string, body: CaptureRequest): PaymentRecord | Refusal {
    return this.merchantAction(paymentId, 'capture', body.reference_id, (record, now) => {
      const result = capture(record, body, now);
      if (result instanceof Refusal) return result;
      if (result !== REPEAT) this.captured(record, now);
      return null;
    });
  }

  refund(paymentId: string, body: RefundRequest): PaymentRecord | Refusal {
    return this.merchantAction(paymentId, 'refund', body.reference_id, (record, now) => {
      const result = refund(record, body, now);
      if (result instanceof Refusal) return result;
      // The status stays CLOSED; the webhook carries the new refund (tabby.md §6).
      if (result !== REPEAT) this.webhooks.notify(record);
      return null;
    });
  }

  close(paymentId: string): PaymentRecord | Refusal {
    return this.merchantAction(paymentId, 'close', undefined, (record, now) => {
      const refused = close(record, now);
      if (refused === null) this.webhooks.notify(record);
      return refused;
    });
  }

  /** PUT /api/v2/payments/{id}: a webhook with the unchanged status and the new reference (tabby.md §6). */
  updateReference(paymentId: string, referenceId: string): PaymentRecord | Refusal {
    return this.merchantAction(paymentId, 'update', undefined, (record) => {
      const refused = updateReference(record, referenceId);
      if (refused === null) this.webhooks.notify(record);
      return refused;
    });
  }

  /** The customer pays; with auto-capture Tabby then captures everything and closes (seed 003 test 1). */
  approve(sessionId: string, autoCapture = this.config.autoCapture): PaymentRecord | Refusal {
    return this.customerAction(sessionId, 'approve', 'AUTHORIZED', (record, now) => {
      if (!autoCapture) return;
      captureInFull(record, AUTO_CAPTURE_REFERENCE, now);
      this.log(record, 'capture', 'tabby', null, AUTO_CAPTURE_REFERENCE);
      this.captured(record, now);
    });
  }

  /** Tabby declines the customer at checkout (seed 003 test 4). */
  reject(sessionId: string): PaymentRecord | Refusal {
    return this.customerAction(sessionId, 'reject', 'REJECTED');
  }

  /** The customer presses the cross on the checkout page (seed 003 test 3). */
  customerCancel(sessionId: string): PaymentRecord | Refusal {
    return this.customerAction(sessionId, 'cancel', 'EXPIRED');
  }

  /** A merchant call refused before it reached the state machine (a body that does not validate). */
  refuse(record: PaymentRecord, action: MerchantAction, refusal: Refusal): Refusal {
    this.log(record, action, 'merchant', refusal.status);
    return refusal;
  }

  /** Forgets every session and its deadline. */
  reset(): void {
    this.deadlines.cancelAll();
    this.store.clear();
  }

  /** A capture was added: `authorized` with it, then `closed` when nothing is left (tabby.md §6). */
  private captured(record: PaymentRecord, now: Date): void {
    this.webhooks.notify(record);
    if (uncaptured(record) === 0 && close(record, now) === null) this.webhooks.notify(record);
  }

  private merchantAction(
    paymentId: string,
    action: MerchantAction,
    referenceId: string | undefined,
    apply: (record: PaymentRecord, now: Date) => Refusal | null,
  ): PaymentRecord | Refusal {
    const record = this.payment(paymentId);
    if (record instanceof Refusal) return record;
    const refused = apply(record, new Date());
    this.log(record, action, 'merchant', refused?.status ?? 200, referenceId);
    return refused ?? record;
  }

  private customerAction(
    sessionId: string,
    action: ActionLogEntry['action'],
    to: 'AUTHORIZED' | 'REJECTED' | 'EXPIRED',
    then?: (record: PaymentRecord, now: Date) => void,
  ): PaymentRecord | Refusal {
    const record = this.session(sessionId);
    if (record instanceof Refusal) return record;
    if (!finishCheckout(record, to)) {
      this.log(record, action, 'customer', 409);
      return conflict(`the checkout has ended: payment is ${record.status}, not CREATED`);
    }
    this.log(record, action, 'customer', 200);
    this.checkoutEnded(record);
    then?.(record, new Date());
    return record;
  }

  /** The session timed out with the customer never finishing (tabby.md §7). */
  private expire(paymentId: string): void {
    const record = this.store.get(paymentId);
    if (record === undefined || !finishCheckout(record, 'EXPIRED')) return;
    this.log(record, 'expire', 'timer', null);
    this.checkoutEnded(record);
  }

  private checkoutEnded(record: PaymentRecord): void {
    this.deadlines.cancel(record.id);
    this.webhooks.notify(record);
  }

  private log(record: PaymentRecord, action: ActionLogEntry['action'], source: ActionLogEntry['source'], status: number | null, referenceId?: string): void {
    const entry: ActionLogEntry = { action, source, at: new Date().toISOString(), status };
    if (referenceId !== undefined) entry.reference_id = referenceId;
    record.actions.push(entry);
  }
}
