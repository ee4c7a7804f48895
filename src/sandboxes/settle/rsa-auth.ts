/**
 * Settle's side of RSA-SHA256 authentication (settle.md §2.2, §6.3), written for the sandbox from
 * the spec alone: it checks what a merchant's user signs and signs the callbacks Settle sends.
 * It deliberately shares no code with the adapter, so a mistake there fails here.
 *
 * The signed text is `METHOD|URL|HEADERS`: the upper-case verb, the URL with only scheme and host
 * lower-cased, then every X-Settle-* header as `NAME=value` with upper-case names, sorted and
 * joined by `&`. The signature is RSASSA-PKCS1-v1_5 over SHA-256, base64 in
 * `Authorization: RSA-SHA256 <signature>`; the body is bound in by `X-Settle-Content-Digest`.
 */
import { createHash, sign, timingSafeEqual, verify } from 'node:crypto';
import { privateKeyOf, publicKeyOf } from '../../crypto-keys';

const SCHEME = 'RSA-SHA256 ';

/** Settle's clock format: UTC `YYYY-MM-DD hh:mm:ss`. */
export function settleClock(at: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${at.getUTCFullYear()}-${two(at.getUTCMonth() + 1)}-${two(at.getUTCDate())} ${two(at.getUTCHours())}:${two(at.getUTCMinutes())}:${two(at.getUTCSeconds())}`;
}

/** `SHA256=` and the base64 SHA-256 of the exact body bytes (the empty string when there is none). */
export function digestHeader(body: Buffer | string): string {
  return 'SHA256=' + createHash('sha256').update(body).digest('base64');
}

/** Lower-cases what precedes the path (`scheme://host[:port]`); path and query stay as they are. */
function normalizeUrl(url: string): string {
  const schemeEnd = url.indexOf('://');
  if (schemeEnd <= 0) throw new Error(`the signed URL must be absolute: ${url}`);
  const afterHost = url.slice(schemeEnd + 3).search(/[/?#]/);
  const authorityEnd = afterHost === -1 ? url.length : schemeEnd + 3 + afterHost;
  const hash = url.indexOf('#', authorityEnd);
  return url.slice(0, authorityEnd).toLowerCase() + url.slice(authorityEnd, hash === -1 ? url.length : hash);
}

/** The text Settle's signatures cover; `headers` may hold any headers, only X-Settle-* count. */
export function signedText(method: string, url: string, headers: Iterable<[string, string]>): string {
  const settle: string[] = [];
  for (const [name, value] of headers) {
    const upper = name.toUpperCase();
    if (upper.startsWith('X-SETTLE-')) settle.push(`${upper}=${value}`);
  }
  // Names differ, so sorting the `NAME=value` strings by name is sorting the pairs.
  settle.sort((a, b) => {
    const nameA = a.slice(0, a.indexOf('='));
    const nameB = b.slice(0, b.indexOf('='));
    return nameA < nameB ? -1 : nameA > nameB ? 1 : 0;
  });
  return [method.toUpperCase(), normalizeUrl(url), settle.join('&')].join('|');
}

export type CheckResult = { valid: true } | { valid: false; reason: string; signedText?: string };

function single(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/**
 * Settle's check of a KEY-level call: `Authorization: RSA-SHA256 …`, a content digest equal to
 * the digest of the raw body, and a signature by `publicKeyPem` over every X-Settle-* header that
 * arrived and the URL the caller addressed.
 */
export function checkSignedCall(
  call: { method: string; url: string; rawBody: Buffer; headers: Record<string, string | string[] | undefined> },
  publicKeyPem: string,
): CheckResult {
  const authorization = single(call.headers.authorization);
  if (authorization === undefined || !authorization.startsWith(SCHEME)) return { valid: false, reason: 'missing RSA-SHA256 Authorization' };
  const declared = single(call.headers['x-settle-content-digest']);
  if (declared === undefined) return { valid: false, reason: 'missing X-Settle-Content-Digest' };
  const actual = digestHeader(call.rawBody);
  const sameDigest = declared.length === actual.length && timingSafeEqual(Buffer.from(declared), Buffer.from(actual));
  if (!sameDigest) return { valid: false, reason: 'content digest does not match the body' };

  const received: [string, string][] = [];
  for (const [name, value] of Object.entries(call.headers)) {
    const text = single(value);
    if (text !== undefined) received.push([name, text]);
  }
  const text = signedText(call.method, call.url, received);
  let good: boolean;
  try {
    good = verify('sha256', Buffer.from(text), publicKeyOf(publicKeyPem), Buffer.from(authorization.slice(SCHEME.length), 'base64'));
  } catch {
    good = false;
  }
  return good ? { valid: true } : { valid: false, reason: 'Invalid signature', signedText: text };
}

/** The base64 RSA-SHA256 signature of `text` with Settle's (here: the sandbox's) private key. */
export function rsaSign(text: string, privateKeyPem: string): string {
  return sign('sha256', Buffer.from(text), privateKeyOf(privateKeyPem)).toString('base64');
}

/**
 * Headers of a callback POST as Settle signs it (§6.3): timestamp and digest, then Authorization
 * over the URL exactly as the merchant registered it.
 */
export function callbackHeaders(url: string, body: string, at: Date, privateKeyPem: string): Record<string, string> {
  const signed: Record<string, string> = {
    'X-Settle-Timestamp': settleClock(at),
    'X-Settle-Content-Digest': digestHeader(body),
  };
  const text = signedText('POST', url, Object.entries(signed));
  return { ...signed, Authorization: SCHEME + rsaSign(text, privateKeyPem) };
}
