/**
 * Transactions and payments around their state machine: creating them for orders, the merchant's
 * confirm/revoke/cancel and the customer's reserve/reject/fail/settle, each reservation's lapse,
 * the action log, and the callbacks for every change our client did not make itself (§6).
 */
import type { Deadlines } from '../shared/deadlines';
import type { CallbackSender } from './callbacks';
import { notFound, Refusal } from './errors';
import { newTransactionKey } from './ids';
import { logAction, type PaymentRecord, type TransactionRecord } from './model';
import type { TransactionInput } from './schemas';
import type { PayseraStore } from './store';
import { cancelPayment, confirm, fail, lapse, reject, reserve, revoke, settlePayment, type LowerPrices } from './transitions';
import { transactionView } from './views';

const HOUR_SECONDS = 3_600;

export class TransactionService {
  constructor(
    private readonly store: PayseraStore,
    private readonly deadlines: Deadlines,
    private readonly callbacks: CallbackSender,
  ) {}

  /** A new transaction (`new`) with its payments, for an order being created. */
  create(input: TransactionInput): TransactionRecord {
    const now = new Date();
    let key = newTransactionKey();
    while (this.store.transaction(key)) key = newTransactionKey();
    const transaction: TransactionRecord = {
      key,
      createdAt: now,
      status: 'new',
      callbackUri: typeof input.callback_uri === 'string' ? input.callback_uri : null,
      callbacksDisabled: input.callback_uri === false,
      redirectUri: input.redirect_uri ?? null,
      autoConfirm: input.auto_confirm ?? null,
      reserveFor: input.reserve_for ?? null,
      reserveUntil: input.reserve_until ?? null,
      paymentIds: [],
      wallet: null,
      confirmedAt: null,
      actions: [],
      reads: 0,
    };
    for (const payment of input.payments) {
      const record = this.store.addPayment({ ...payment, transactionKey: key, createdAt: now, status: 'new', confirmedAt: null });
      transaction.paymentIds.push(record.id);
    }
    this.store.addTransaction(transaction);
    return transaction;
  }

  get(key: string): TransactionRecord | Refusal {
    return this.store.transaction(key) ?? notFound(`transaction ${key} not found`);
  }

  /** GET /transaction/{key}, counted so the polling cadence shows. */
  read(key: string): TransactionRecord | Refusal {
    const transaction = this.get(key);
    if (!(transaction instanceof Refusal)) transaction.reads += 1;
    return transaction;
  }

  payment(id: number): { payment: PaymentRecord; transaction: TransactionRecord } | Refusal {
    const payment = this.store.payment(id);
    const transaction = payment && this.store.transaction(payment.transactionKey);
    if (payment === undefined || transaction === undefined) return notFound(`payment ${id} not found`);
    return { payment, transaction };
  }

  confirm(key: string, lowerPrices: LowerPrices): TransactionRecord | Refusal {
    const params = lowerPrices.size === 0 ? undefined : { lower_prices: Object.fromEntries(lowerPrices) };
    return this.merchantAction(key, 'confirm', params, (transaction, payments) => confirm(transaction, payments, lowerPrices, new Date()));
  }

  revoke(key: string): TransactionRecord | Refusal {
    return this.merchantAction(key, 'revoke', undefined, revoke);
  }

  /** DELETE /payment/{id}: logged on the payment's transaction. */
  cancelPayment(id: number): { payment: PaymentRecord; transaction: TransactionRecord } | Refusal {
    const found = this.payment(id);
    if (found instanceof Refusal) return found;
    const refused = cancelPayment(found.payment);
    logAction(found.transaction, 'cancel_payment', 'merchant', refused?.status ?? 200, { payment_id: id });
    return refused ?? found;
  }

  /** The customer accepts in the app; callback `reserved`, or `confirmed` when auto-confirmed (§6). */
  reserve(key: string, wallet: number): TransactionRecord | Refusal {
    return this.customerAction(key, 'reserve', (transaction, payments) => reserve(transaction, payments, wallet, new Date()));
  }

  reject(key: string): TransactionRecord | Refusal {
    return this.customerAction(key, 'reject', reject);
  }

  fail(key: string): TransactionRecord | Refusal {
    return this.customerAction(key, 'fail', fail);
  }

  /** The money reached the merchant: `done`, no longer cancellable. Payments never produce callbacks (§6). */
  settlePayment(id: number): { payment: PaymentRecord; transaction: TransactionRecord } | Refusal {
    const found = this.payment(id);
    if (found instanceof Refusal) return found;
    const refused = settlePayment(found.payment);
    logAction(found.transaction, 'settle_payment', 'customer', refused?.status ?? 200, { payment_id: id });
    return refused ?? found;
  }

  /** Forgets every reservation deadline; the store is cleared by the caller. */
  reset(): void {
    this.deadlines.cancelAll();
  }

  /** Our client's own calls: logged, never called back (§6). */
  private merchantAction(
    key: string,
    action: string,
    params: Record<string, unknown> | undefined,
    apply: (transaction: TransactionRecord, payments: PaymentRecord[]) => Refusal | null,
  ): TransactionRecord | Refusal {
    const transaction = this.get(key);
    if (transaction instanceof Refusal) return transaction;
    const refused = apply(transaction, this.store.paymentsOf(transaction));
    logAction(transaction, action, 'merchant', refused?.status ?? 200, params);
    if (refused) return refused;
    this.syncDeadline(transaction);
    return transaction;
  }

  private customerAction(key: string, action: string, apply: (transaction: TransactionRecord, payments: PaymentRecord[]) => Refusal | null): TransactionRecord | Refusal {
    const transaction = this.get(key);
    if (transaction instanceof Refusal) return transaction;
    const refused = apply(transaction, this.store.paymentsOf(transaction));
    logAction(transaction, action, 'customer', refused?.status ?? 200);
    if (refused) return refused;
    this.syncDeadline(transaction);
    // The callback type is the status reached: reserved, confirmed (auto-confirm), rejected, failed.
    this.notify(transaction, transaction.status);
    return transaction;
  }

  private notify(transaction: TransactionRecord, type: string): void {
    if (transaction.callbackUri !== null) this.callbacks.notify(transaction.callbackUri, type, transactionView(transaction, this.store));
  }

  /**
   * Only a reserved transaction has a deadline: `reserve_until`, or `reserve_for` hours from the
   * reservation. Without either Paysera's default is undocumented (§11 q1): no deadline.
   */
  private syncDeadline(transaction: TransactionRecord): void {
    if (transaction.status !== 'reserved') {
      this.deadlines.cancel(transaction.key);
      return;
    }
    if (transaction.reserveUntil === null && transaction.reserveFor !== null) {
      transaction.reserveUntil = Math.floor(Date.now() / 1000) + transaction.reserveFor * HOUR_SECONDS;
    }
    if (transaction.reserveUntil !== null) this.deadlines.set(transaction.key, new Date(transaction.reserveUntil * 1000), () => this.lapse(transaction.key));
  }

  /** The reservation lapsed unconfirmed. No callback: §6 has no event type for it, so merchants poll. */
  private lapse(key: string): void {
    const transaction = this.store.transaction(key);
    if (transaction === undefined || !lapse(transaction, this.store.paymentsOf(transaction))) return;
    logAction(transaction, 'lapse', 'timer', null);
  }
}
