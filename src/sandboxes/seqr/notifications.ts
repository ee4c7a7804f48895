/**
 * notificationUrl calls (seqr.md §6): once an invoice is PAID, SEQR POSTs to the URL the invoice
 * named. No payload schema and no signature are documented, so the body is empty; the URL itself
 * carries the merchant's correlation id. Delivery is the shared queue's job (fire-and-forget).
 */
import { Deliveries, type DeliveryAttempt } from '../shared/deliveries';

interface NotificationLabels {
  invoice_reference: string;
}

export type NotificationAttempt = DeliveryAttempt<NotificationLabels>;

export class PaymentNotifier extends Deliveries<NotificationLabels> {
  /** SEQR's retry policy is undocumented (open question 2): three quick retries on any failure keep tests fast. */
  constructor() {
    super({
      name: 'seqr-sandbox',
      acknowledged: (status) => status >= 200 && status < 300,
      retryable: () => true,
      retryDelaysMs: [100, 300, 900],
    });
  }

  notify(url: string, invoiceReference: string): void {
    this.send({ url, headers: {}, body: '', labels: { invoice_reference: invoiceReference } });
  }
}
