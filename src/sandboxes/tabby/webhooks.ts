/**
 * Outgoing webhooks (tabby.md §6): the payment as it is at the event, POSTed as JSON to every
 * webhook the payment's merchant code has registered, with the registered `title: value` header
 * (Tabby's only authenticity measure: no signature). Delivery is the shared queue's job.
 */
import { Deliveries, type DeliveryAttempt } from '../shared/deliveries';
import type { PaymentRecord } from './model';
import { webhookPayload } from './views';
import type { WebhookRegistry } from './webhook-registry';

interface WebhookLabels {
  webhook_id: string;
  payment_id: string;
  /** The payload's (lower-case) status: `authorized`, `closed`, `rejected`, `expired`. */
  event: string;
}

export type WebhookAttempt = DeliveryAttempt<WebhookLabels>;

export class WebhookNotifier extends Deliveries<WebhookLabels> {
  /**
   * Tabby counts anything but 200 as a failure and retries it (§6); its schedule (minutes apart)
   * is unconfirmed, so the sandbox retries three times within about a second to keep tests fast.
   */
  constructor(private readonly registry: WebhookRegistry) {
    super({
      name: 'tabby-sandbox',
      acknowledged: (status) => status === 200,
      retryable: () => true,
      retryDelaysMs: [100, 300, 900],
    });
  }

  /** Snapshots the payment now: later changes never leak into this event's body. */
  notify(record: PaymentRecord): void {
    const payload = webhookPayload(record);
    const body = JSON.stringify(payload);
    for (const hook of this.registry.forMerchant(record.merchantCode)) {
      const headers: Record<string, string> = { 'Content-Type': 'application/json' };
      if (hook.header !== null) headers[hook.header.title] = hook.header.value;
      this.send({ url: hook.url, headers, body, labels: { webhook_id: hook.id, payment_id: record.id, event: payload.status } });
    }
  }
}
