/**
 * `/v1/webhooks/settle`: Settle's RSA signature and content digest are checked over the exact URL
 * the callback was registered with; a verified callback only wakes the payment, which re-reads the
 * outcome itself. A scan (`shortlink_scanned`) carries the scan token the payment request needs.
 *
 * Replay: the signature covers `X-Settle-Timestamp` (settle.md §6.3), so a callback whose timestamp
 * is further than the tolerance from our clock, either way, is refused like a bad signature: a
 * recorded callback cannot be replayed indefinitely. Settle documents no tolerance (§11 q4); the
 * default is the 15 minutes its own API allows callers (SETTLE_CALLBACK_TOLERANCE_SECONDS).
 */
import { parsePaymentId } from '../../workflows/ids';
import type { InboundWebhook, WebhookVerdict } from '../provider';
import { parseSettleTimestamp, verifyRequest } from './signature';
import { callbackSchema, scanObjectSchema } from './wire';

export const DEFAULT_CALLBACK_TOLERANCE_MS = 15 * 60 * 1000;
const SETTLE_TIMESTAMP = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** Why a verified callback's `X-Settle-Timestamp` is not acceptable at `now`, or null when it is. */
export function staleTimestamp(headers: InboundWebhook['headers'], toleranceMs: number, now: Date): string | null {
  const raw = headers['x-settle-timestamp'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value === undefined) return 'missing X-Settle-Timestamp';
  if (!SETTLE_TIMESTAMP.test(value)) return `X-Settle-Timestamp ${value.slice(0, 40)} is not YYYY-MM-DD hh:mm:ss`;
  let at: number;
  try {
    at = Date.parse(parseSettleTimestamp(value));
  } catch {
    return `X-Settle-Timestamp ${value} is not a valid time`;
  }
  const skewMs = Math.abs(now.getTime() - at);
  return skewMs > toleranceMs ? `X-Settle-Timestamp ${value} is ${Math.round(skewMs / 1000)} s from our clock (tolerance ${toleranceMs / 1000} s)` : null;
}

export function verifySettleWebhook(webhook: InboundWebhook, settlePublicKeyPem: string, toleranceMs = DEFAULT_CALLBACK_TOLERANCE_MS, now = new Date()): WebhookVerdict {
  const verification = verifyRequest({ method: 'POST', url: webhook.url, rawBody: webhook.rawBody, headers: webhook.headers }, settlePublicKeyPem);
  if (!verification.ok) return { kind: 'unauthorized', reason: verification.reason };
  // Checked only once the signature holds: it is the signature that makes the timestamp Settle's.
  const stale = staleTimestamp(webhook.headers, toleranceMs, now);
  if (stale !== null) return { kind: 'unauthorized', reason: stale };

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
