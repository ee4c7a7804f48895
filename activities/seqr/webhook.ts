/**
 * `/v1/webhooks/seqr?payment=...`: SEQR's notificationUrl carries no proof of origin, so it is only
 * a hint to poll now; the payment trusts nothing but its own getPaymentStatus.
 */
import { parsePaymentId } from '../../workflows/ids';
import type { InboundWebhook, WebhookVerdict } from '../provider';

export function seqrNotification(webhook: InboundWebhook): WebhookVerdict {
  const paymentId = new URL(webhook.url).searchParams.get('payment');
  if (!paymentId || !parsePaymentId(paymentId)) return { kind: 'ignored', reason: 'notification without a payment of ours' };
  return { kind: 'hint', paymentId, signal: { kind: 'wake', event: 'notification' } };
}
