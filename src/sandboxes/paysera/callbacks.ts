/**
 * Outgoing callbacks (paysera.md §6): `event` (a JSON string with type, object and the transaction
 * as it is now) and `sign` (RSA-SHA256 over that exact string), POSTed form-encoded to the
 * transaction's callback_uri through the shared delivery queue (fire-and-forget, retried, logged).
 */
import { Deliveries, type DeliveryAttempt } from '../shared/deliveries';
import { signEvent } from './mac-check';
import type { TransactionView } from './views';

interface CallbackLabels {
  /** The event type: reserved, confirmed, rejected, failed, … */
  event: string;
  transaction_key: string;
}

export type CallbackAttempt = DeliveryAttempt<CallbackLabels>;

export class CallbackSender extends Deliveries<CallbackLabels> {
  /**
   * Paysera documents neither the answer it expects nor a retry policy (§6, §11 q3); a 2xx counts
   * as received and a few quick retries on network errors and 5xx model "maybe more than once,
   * maybe never" without slowing tests down.
   */
  constructor(private readonly privateKeyPem: string) {
    super({
      name: 'paysera-sandbox',
      acknowledged: (status) => status >= 200 && status < 300,
      retryable: (status) => status === null || status >= 500,
      retryDelaysMs: [100, 300, 900],
    });
  }

  /** Snapshots the transaction now: later changes never leak into this event. */
  notify(url: string, type: string, transaction: TransactionView): void {
    const event = JSON.stringify({ type, object: 'transaction', data: transaction });
    const body = new URLSearchParams({ event, sign: signEvent(event, this.privateKeyPem) }).toString();
    this.send({
      url,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      labels: { event: type, transaction_key: transaction.transaction_key },
    });
  }
}
