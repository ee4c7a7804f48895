/**
 * Authentication of API calls (tabby.md §2): `Authorization: Bearer <secret key>` on every call
 * except the QR image, plus the merchant code: in the session body for checkout, in
 * `X-Merchant-Code` for webhook management. All failures are 401 with Tabby's messages.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import { notAuthorized, sendRefusal, type Refusal } from './errors';

/** Compares digests so the comparison takes the same time whatever the lengths. */
function sameSecret(received: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

/**
 * Which of Tabby's documented messages fits which failure is our reading: no Bearer scheme at all,
 * a public key (`pk_…`, which some older SDKs send, tabby.md §2) where the secret key belongs, or
 * a key Tabby does not know.
 */
function checkBearer(authorization: string | undefined, secretKey: string): Refusal | null {
  const match = /^Bearer (.+)$/.exec(authorization ?? '');
  const key = match?.[1];
  if (key === undefined) return notAuthorized('missing Bearer scheme');
  if (sameSecret(key, secretKey)) return null;
  if (key.startsWith('pk_')) return notAuthorized('invalid secret key');
  return notAuthorized("auth: provided key doesn't exist");
}

export function bearerAuth(secretKey: string): RequestHandler {
  return (req, res, next) => {
    const refused = checkBearer(req.headers.authorization, secretKey);
    if (refused) sendRefusal(res, refused);
    else next();
  };
}

/** Tabby looks the merchant up by its code; an unknown or missing one leaves it null. */
export function checkMerchantCode(code: unknown, known: ReadonlySet<string>): Refusal | null {
  return typeof code === 'string' && known.has(code) ? null : notAuthorized('merchant is null');
}

const merchantCodes = new WeakMap<Request, string>();

/** Webhook management names the merchant in `X-Merchant-Code`; the routes read it back with merchantCodeOf. */
export function merchantCodeHeader(known: ReadonlySet<string>): RequestHandler {
  return (req, res, next) => {
    const code = req.headers['x-merchant-code'];
    const refused = checkMerchantCode(code, known);
    if (refused) {
      sendRefusal(res, refused);
      return;
    }
    merchantCodes.set(req, String(code));
    next();
  };
}

/** The merchant code merchantCodeHeader accepted; only meaningful behind it. */
export function merchantCodeOf(req: Request): string {
  const code = merchantCodes.get(req);
  if (code === undefined) throw new Error('merchantCodeOf used on a route without merchantCodeHeader');
  return code;
}
