/**
 * Authentication of merchant API calls (settle.md §2): the merchant and user headers must name
 * the configured merchant, and Authorization must carry the shared secret (SECRET level) or an
 * RSA-SHA256 signature by the user's key over the URL the client called (KEY level).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler } from 'express';
import type { ResolvedConfig } from './config';
import { refusal, sendRefusal, unauthorized, type Refusal } from './errors';
import { rawBodyOf } from './raw-body';
import { checkSignedCall } from './rsa-auth';

/** OPEN < SECRET < KEY; the merchant API needs at least SECRET, refund needs KEY. */
export type AuthLevel = 'SECRET' | 'KEY';

const levels = new WeakMap<Request, AuthLevel>();

/** The level the request authenticated at; only meaningful behind merchantAuth. */
export function authLevelOf(req: Request): AuthLevel | undefined {
  return levels.get(req);
}

export function merchantAuth(config: ResolvedConfig): RequestHandler {
  return (req, res, next) => {
    const result = authenticate(config, req);
    if ('status' in result) {
      sendRefusal(res, result);
      return;
    }
    levels.set(req, result.level);
    next();
  };
}

function header(req: Request, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Compares digests so the comparison takes the same time whatever the lengths. */
function sameSecret(received: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(received), digest(expected));
}

function authenticate(config: ResolvedConfig, req: Request): { level: AuthLevel } | Refusal {
  const merchant = header(req, 'x-settle-merchant');
  // Settle's documented example for this case: a 400 that still names the legacy X-Auka header.
  if (merchant === undefined) return refusal(400, 'Unauthorized', 'No X-Auka-Merchant header value');
  if (merchant !== config.merchantId) return unauthorized('Unknown merchant');
  const user = header(req, 'x-settle-user');
  if (user === undefined) return unauthorized('No X-Settle-User header value');
  if (user !== config.userId) return unauthorized('Unknown user');

  const authorization = header(req, 'authorization') ?? '';
  if (authorization.startsWith('SECRET ')) {
    return sameSecret(authorization.slice('SECRET '.length), config.secret) ? { level: 'SECRET' } : unauthorized('Invalid secret');
  }
  if (authorization.startsWith('RSA-SHA256 ')) {
    // Clock skew tolerance is undocumented (settle.md §11 q4): the timestamp must be present and
    // signed, but its value is not checked against the clock.
    if (header(req, 'x-settle-timestamp') === undefined) return unauthorized('No X-Settle-Timestamp header value');
    const verification = checkSignedCall(
      { method: req.method, url: `${config.baseUrl}${req.originalUrl}`, rawBody: rawBodyOf(req), headers: req.headers },
      config.userPublicKeyPem,
    );
    if (verification.valid) return { level: 'KEY' };
    const detail = verification.signedText === undefined ? null : { string_to_sign: verification.signedText };
    return unauthorized(capitalize(verification.reason), detail);
  }
  return unauthorized('Missing or unsupported Authorization header');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
