/**
 * Settle's RSA-SHA256 request signing (settle.md §2.2) and callback verification (§6.3).
 *
 * The same scheme runs in both directions: we sign KEY-level calls with our user's private key, and
 * Settle signs callbacks with its own key. The sandbox has its own implementation of Settle's side
 * (src/sandboxes/settle/rsa-auth.ts); both are pinned to settle.md's vectors, not to each other.
 */
import { createHash, createSign, createVerify, timingSafeEqual } from 'node:crypto';
import { privateKeyOf, publicKeyOf } from '../../src/crypto-keys';

export const SETTLE_HEADER_PREFIX = 'x-settle-';

/** `SHA256=` + base64(SHA-256(body)); an empty body hashes the empty string. */
export function contentDigest(body: string | Buffer): string {
  return `SHA256=${createHash('sha256').update(body).digest('base64')}`;
}

/** Settle's UTC `YYYY-MM-DD hh:mm:ss`. */
export function settleTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace('T', ' ');
}

/** Parses Settle's UTC `YYYY-MM-DD hh:mm:ss` into an ISO-8601 instant. */
export function parseSettleTimestamp(value: string): string {
  const iso = `${value.replace(' ', 'T')}Z`;
  if (Number.isNaN(Date.parse(iso))) throw new Error(`not a Settle timestamp: ${value}`);
  return new Date(iso).toISOString();
}

/** Scheme and host lower-cased, the rest (path and query) kept exactly as sent (settle.md §2.2). */
function canonicalUrl(url: string): string {
  const match = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)([^#]*)/.exec(url);
  if (!match) throw new Error(`not an absolute URL: ${url}`);
  const [, scheme = '', authority = '', rest = ''] = match;
  return `${scheme.toLowerCase()}${authority.toLowerCase()}${rest}`;
}

/** `METHOD|URL|X-SETTLE-A=v&X-SETTLE-B=v`, with only X-Settle-* headers, upper-cased and sorted. */
export function stringToSign(method: string, url: string, headers: Record<string, string>): string {
  const headerPart = Object.entries(headers)
    .filter(([name]) => name.toLowerCase().startsWith(SETTLE_HEADER_PREFIX))
    .map(([name, value]) => [name.toUpperCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  return `${method.toUpperCase()}|${canonicalUrl(url)}|${headerPart}`;
}

export function signString(text: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(text).sign(privateKeyOf(privateKeyPem), 'base64');
}

export function verifyString(text: string, signatureBase64: string, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(text).verify(publicKeyOf(publicKeyPem), signatureBase64, 'base64');
  } catch {
    return false;
  }
}

export interface SignedRequest {
  method: string;
  url: string;
  body: string;
  /** X-Settle-* identity headers (merchant, user or integrator) to include in the signature. */
  identity: Record<string, string>;
  privateKeyPem: string;
  now: Date;
}

/** The full header set of a KEY-level request: identity, timestamp, digest and Authorization. */
export function signRequest(request: SignedRequest): Record<string, string> {
  const headers: Record<string, string> = {
    ...request.identity,
    'X-Settle-Timestamp': settleTimestamp(request.now),
    'X-Settle-Content-Digest': contentDigest(request.body),
  };
  const signature = signString(stringToSign(request.method, request.url, headers), request.privateKeyPem);
  return { ...headers, Authorization: `RSA-SHA256 ${signature}` };
}

export type VerificationResult = { ok: true } | { ok: false; reason: string; stringToSign?: string };

export interface ReceivedRequest {
  method: string;
  /** The URL exactly as registered with (or called by) the signer. */
  url: string;
  rawBody: Buffer;
  /** Header names in any case, as Node delivers them (lower-case). */
  headers: Record<string, string | string[] | undefined>;
}

function header(headers: ReceivedRequest['headers'], name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Verifies an RSA-SHA256-signed request: the digest must match the raw body and the signature must
 * cover every X-Settle-* header that arrived. Used by our webhook with Settle's key.
 */
export function verifyRequest(request: ReceivedRequest, publicKeyPem: string): VerificationResult {
  const authorization = header(request.headers, 'authorization');
  if (!authorization?.startsWith('RSA-SHA256 ')) return { ok: false, reason: 'missing RSA-SHA256 Authorization' };
  const digest = header(request.headers, 'x-settle-content-digest');
  if (!digest) return { ok: false, reason: 'missing X-Settle-Content-Digest' };
  const expected = Buffer.from(contentDigest(request.rawBody));
  const received = Buffer.from(digest);
  if (expected.length !== received.length || !timingSafeEqual(expected, received)) {
    return { ok: false, reason: 'content digest does not match the body' };
  }
  const settleHeaders: Record<string, string> = {};
  for (const name of Object.keys(request.headers)) {
    const value = header(request.headers, name);
    if (name.toLowerCase().startsWith(SETTLE_HEADER_PREFIX) && value !== undefined) settleHeaders[name] = value;
  }
  const text = stringToSign(request.method, request.url, settleHeaders);
  if (!verifyString(text, authorization.slice('RSA-SHA256 '.length), publicKeyPem)) {
    return { ok: false, reason: 'Invalid signature', stringToSign: text };
  }
  return { ok: true };
}
