/** In-memory sessions and payments (one payment per session), with the look-ups the API needs. */
import type { PaymentRecord } from './model';

export class PaymentStore {
  private readonly payments = new Map<string, PaymentRecord>();
  private readonly paymentBySession = new Map<string, string>();

  add(record: PaymentRecord): void {
    this.payments.set(record.id, record);
    this.paymentBySession.set(record.sessionId, record.id);
  }

  get(paymentId: string): PaymentRecord | undefined {
    return this.payments.get(paymentId);
  }

  bySession(sessionId: string): PaymentRecord | undefined {
    const paymentId = this.paymentBySession.get(sessionId);
    return paymentId === undefined ? undefined : this.payments.get(paymentId);
  }

  /** Newest first, as Tabby lists payments. */
  newestFirst(): PaymentRecord[] {
    return [...this.payments.values()].reverse();
  }

  clear(): void {
    this.payments.clear();
    this.paymentBySession.clear();
  }
}
