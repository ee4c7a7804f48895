/**
 * `/v1/webhooks/paysera`: a form with `event` (JSON) and `sign` (RSA-SHA256 over the exact event
 * string, Paysera's public key). Only a verified event is read, and it only wakes the payment, which
 * re-reads the transaction. The payment is named by the callback URL we gave the transaction.
 */
import { parsePaymentId } from '../../workflows/ids';
import type { InboundWebhook, WebhookVerdict } from '../provider';
import { verifyCallback } from './callback-signature';

export function verifyPayseraCallback(webhook: InboundWebhook, publicKeyPem: string): WebhookVerdict {
  const form = new URLSearchParams(webhook.rawBody.toString('utf8'));
  const event = form.get('event');
  const sign = form.get('sign');
  if (event === null || sign === null || !verifyCallback({ event, sign }, publicKeyPem)) {
    return { kind: 'unauthorized', reason: 'missing event/sign or a signature that does not verify' };
  }
  let type: unknown;
  try {
    type = (JSON.parse(event) as { type?: unknown }).type;
  } catch {
    return { kind: 'ignored', reason: 'event is not JSON' };
  }
  const paymentId = new URL(webhook.url).searchParams.get('payment');
  if (!paymentId || !parsePaymentId(paymentId)) return { kind: 'ignored', reason: 'callback URL names no payment of ours' };
  return { kind: 'signal', paymentId, signal: { kind: 'wake', event: typeof type === 'string' ? type : 'callback' } };
}
