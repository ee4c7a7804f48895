/**
 * `/v1/webhooks/settle`: Settle's RSA signature and content digest are checked over the exact URL
 * the callback was registered with; a verified callback only wakes the payment, which re-reads the
 * outcome itself. A scan (`shortlink_scanned`) carries the scan token the payment request needs.
 */
import { parsePaymentId } from '../../workflows/ids';
import type { InboundWebhook, WebhookVerdict } from '../provider';
import { verifyRequest } from './signature';
import { callbackSchema, scanObjectSchema } from './wire';

export function verifySettleWebhook(webhook: InboundWebhook, settlePublicKeyPem: string): WebhookVerdict {
  const verification = verifyRequest({ method: 'POST', url: webhook.url, rawBody: webhook.rawBody, headers: webhook.headers }, settlePublicKeyPem);
  if (!verification.ok) return { kind: 'unauthorized', reason: verification.reason };

  let json: unknown;
  try {
    json = JSON.parse(webhook.rawBody.toString('utf8'));
  } catch {
    return { kind: 'ignored', reason: 'body is not JSON' };
  }
  const message = callbackSchema.safeParse(json);
  if (!message.success) return { kind: 'ignored', reason: 'not a Settle callback message' };
  const { event } = message.data.meta;

  if (event === 'shortlink_scanned') {
    const scan = scanObjectSchema.safeParse(message.data.object);
    if (!scan.success) return { kind: 'ignored', reason: 'shortlink_scanned without a scan token' };
    const paymentId = decodeURIComponent(scan.data.argstring);
    if (!parsePaymentId(paymentId)) return { kind: 'ignored', reason: `argstring ${scan.data.argstring} names no payment of ours` };
    return { kind: 'signal', paymentId, signal: { kind: 'customer_token', event, token: scan.data.id } };
  }

  const paymentId = new URL(webhook.url).searchParams.get('payment');
  if (!paymentId || !parsePaymentId(paymentId)) return { kind: 'ignored', reason: `${event} for a callback URL without a payment` };
  return { kind: 'signal', paymentId, signal: { kind: 'wake', event } };
}
