/**
 * Signed QR image links: `qr.image_url` as a till's browser can load it in an `<img>`, which sends
 * no `Authorization` header. Every payment resource the POS API answers carries its image URL with
 * `?exp=<unix seconds>&sig=<MAC>`; the image route accepts such a link without a Bearer key until
 * `exp` (see qr-routes.ts). The MAC covers the merchant, the payment id and `exp`, so a link opens
 * exactly one payment's QR (either format), for the merchant it was issued to, for a short time:
 * anyone holding it sees a QR code that is on the till's screen anyway, and nothing else.
 *
 * Why the payment's workflow does not sign: the workflow's record is history, replayed forever and
 * identical for every reader; an expiring signature is per answer, so the ingress adds it on the
 * way out. `exp` is rounded up to a whole minute so that one payment's link stays the same for a
 * minute of long polls: a page that sets `<img src>` on every answer does not reload the image.
 * A link is thus good for between the TTL and the TTL plus a minute.
 *
 * Where the key comes from: a till may load the image from another ingress than the one that
 * answered the payment, so every ingress must accept every other's links. Like list cursors
 * (cursor.ts), the key is derived from `POS_API_KEYS`, the secret every ingress of a deployment
 * shares, unless `QR_LINK_SECRET` names one; changing either invalidates open links, which a till
 * renews by reading the payment again.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { parsePaymentId } from '../../workflows/ids';

const LABEL = 'pos-qr-payments qr image link v1';
const MAC_BYTES = 16;
/** `exp` granularity: links issued within the same minute are the same link. */
const ROUND_SECONDS = 60;
export const SIGNATURE_PATTERN = /^[A-Za-z0-9_-]{22}$/;

export type LinkVerdict = { ok: true; merchantId: string } | { ok: false; reason: 'expired' | 'invalid' };

/** What signing needs of a payment resource; `qr` is null until the payment shows a QR. */
interface PaymentWithQr {
  id: string;
  merchant_id: string;
  qr: { content: string; image_url: string } | null;
}

export class QrImageLinks {
  private readonly key: Buffer;

  constructor(
    secret: string,
    private readonly ttlSeconds: number,
    private readonly nowMs: () => number = Date.now,
  ) {
    this.key = createHash('sha256').update(LABEL).update('\n').update(secret).digest();
  }

  /** Links keyed by the deployment's API keys, in a canonical order (see the module comment). */
  static fromApiKeys(apiKeys: ReadonlyMap<string, string>, ttlSeconds: number): QrImageLinks {
    return new QrImageLinks([...apiKeys].map(([key, merchant]) => `${merchant}\u0000${key}`).sort().join('\n'), ttlSeconds);
  }

  /** The query that opens `paymentId`'s QR image without a Bearer key: `exp=…&sig=…`. */
  query(merchantId: string, paymentId: string): string {
    const exp = Math.ceil((this.nowMs() / 1000 + this.ttlSeconds) / ROUND_SECONDS) * ROUND_SECONDS;
    return `exp=${exp}&sig=${this.mac(merchantId, paymentId, exp).toString('base64url')}`;
  }

  /** Whether `exp` and `sig` open `paymentId`'s QR; the merchant is the one inside the payment id. */
  verify(paymentId: string, exp: number, sig: string): LinkVerdict {
    const merchantId = parsePaymentId(paymentId)?.merchantId;
    if (merchantId === undefined || !SIGNATURE_PATTERN.test(sig)) return { ok: false, reason: 'invalid' };
    const presented = Buffer.from(sig, 'base64url');
    if (presented.toString('base64url') !== sig || !timingSafeEqual(presented, this.mac(merchantId, paymentId, exp))) return { ok: false, reason: 'invalid' };
    // Checked after the MAC, so "expired" is only ever said of a link this service issued.
    if (exp * 1000 <= this.nowMs()) return { ok: false, reason: 'expired' };
    return { ok: true, merchantId };
  }

  /** A copy of `payment` whose `qr.image_url` carries a fresh signature. */
  sign<T extends PaymentWithQr>(payment: T): T {
    if (!payment.qr) return payment;
    return { ...payment, qr: { ...payment.qr, image_url: `${payment.qr.image_url}?${this.query(payment.merchant_id, payment.id)}` } };
  }

  /**
   * Signs every payment in a POS API answer, whatever carries it: the payment itself, a list page's
   * `data`, a refund's or a problem's `payment`. Installed on the POS routes, so no answer can hand
   * out an image URL that an `<img>` cannot load.
   */
  readonly signAnswers: RequestHandler = (_req, res, next) => {
    const send = res.json.bind(res);
    res.json = (body: unknown) => send(this.signIn(body));
    next();
  };

  private signIn(body: unknown): unknown {
    if (isPayment(body)) return this.sign(body);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
    const container = body as { data?: unknown; payment?: unknown };
    const signed: Record<string, unknown> = { ...body };
    if (Array.isArray(container.data)) signed.data = container.data.map((item: unknown) => (isPayment(item) ? this.sign(item) : item));
    if (isPayment(container.payment)) signed.payment = this.sign(container.payment);
    return signed;
  }

  private mac(merchantId: string, paymentId: string, exp: number): Buffer {
    return createHmac('sha256', this.key).update(`${merchantId}\u0000${paymentId}\u0000${exp}`).digest().subarray(0, MAC_BYTES);
  }
}

function isPayment(value: unknown): value is PaymentWithQr {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<PaymentWithQr>;
  return typeof candidate.id === 'string' && typeof candidate.merchant_id === 'string' && 'qr' in candidate;
}
