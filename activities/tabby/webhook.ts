/**
 * `/v1/webhooks/tabby`: Tabby signs nothing; it sends back the header registered with the webhook.
 * That header is compared in constant time, and a verified webhook only wakes the payment, which
 * re-reads the payment from Tabby (statuses arrive lower-case, duplicated and out of order).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { parsePaymentId } from '../../workflows/ids';
import type { InboundWebhook, WebhookVerdict } from '../provider';
import { tabbyWebhookSchema } from './wire';

export interface TabbyWebhookSecret {
  header: string;
  value: string;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

export function verifyTabbyWebhook(webhook: InboundWebhook, secret: TabbyWebhookSecret): WebhookVerdict {
  const sent = webhook.headers[secret.header.toLowerCase()];
  const presented = Array.isArray(sent) ? sent[0] : sent;
  if (presented === undefined || !timingSafeEqual(digest(presented), digest(secret.value))) {
    return { kind: 'unauthorized', reason: `missing or wrong ${secret.header} header` };
  }
  let json: unknown;
  try {
    json = JSON.parse(webhook.rawBody.toString('utf8'));
  } catch {
    return { kind: 'ignored', reason: 'body is not JSON' };
  }
  const event = tabbyWebhookSchema.safeParse(json);
  if (!event.success) return { kind: 'ignored', reason: 'not a Tabby payment notification' };
  const paymentId = event.data.order.reference_id;
  if (!parsePaymentId(paymentId)) return { kind: 'ignored', reason: `reference_id ${paymentId} names no payment of ours` };
  return { kind: 'signal', paymentId, signal: { kind: 'wake', event: event.data.status } };
}
