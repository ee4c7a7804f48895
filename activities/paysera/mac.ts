/**
 * Paysera Wallet API MAC access authentication (paysera.md §2): an HMAC-SHA256 over a normalized
 * request string, with the body bound in through `ext=body_hash=…`. Our client signs with it; the
 * sandbox checks with its own implementation (src/sandboxes/paysera/mac-check.ts), and both are
 * pinned to paysera.md's vectors, so a mistake such as a missing trailing newline fails on one side.
 */
import { createHash, createHmac, randomInt, timingSafeEqual } from 'node:crypto';

export interface MacCredentials {
  clientId: string;
  macKey: string;
}

/** base64(SHA-256(raw body bytes)); a string is hashed as its UTF-8 bytes. */
export function bodyHash(body: string | Buffer): string {
  return createHash('sha256').update(body).digest('base64');
}

/** PHP `urlencode`, which `http_build_query` uses: only `A-Za-z0-9-_.` stay, space becomes `+`. */
function phpUrlencode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*~]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * The `ext` string: `body_hash` first when there is a body, then any extra parameters, encoded as
 * PHP's `http_build_query` does (the PHP library's Auth/Mac.php). Empty without a body or extras.
 */
export function buildExt(body: string | Buffer | undefined, extra: Readonly<Record<string, string>> = {}): string {
  const params: [string, string][] = [];
  if (body !== undefined && body.length > 0) params.push(['body_hash', bodyHash(body)]);
  // PHP's array union (`$extParts + $parameters`): a key already present keeps its first value.
  for (const [name, value] of Object.entries(extra)) if (!params.some(([taken]) => taken === name)) params.push([name, value]);
  return params.map(([name, value]) => `${phpUrlencode(name)}=${phpUrlencode(value)}`).join('&');
}

export interface NormalizedRequest {
  ts: string;
  nonce: string;
  method: string;
  /** Path plus `?` and the raw query, exactly as sent. */
  uri: string;
  host: string;
  port: string | number;
  ext: string;
}

/** The 7 items, each followed by `\n`, so the string ends with a newline even when `ext` is empty. */
export function normalizedString(request: NormalizedRequest): string {
  const items = [request.ts, request.nonce, request.method.toUpperCase(), request.uri, request.host.toLowerCase(), String(request.port), request.ext];
  return items.map((item) => `${item}\n`).join('');
}

export function macOf(normalized: string, macKey: string): string {
  return createHmac('sha256', macKey).update(normalized).digest('base64');
}

export interface MacHeader {
  clientId: string;
  ts: string;
  nonce: string;
  mac: string;
  /** Empty when the header has none. */
  ext: string;
}

/** `MAC id="…", ts="…", nonce="…", mac="…"[, ext="…"]`; `ext` only when non-empty, as the PHP library does. */
export function authorizationHeader(header: MacHeader): string {
  const params: [string, string][] = [
    ['id', header.clientId],
    ['ts', header.ts],
    ['nonce', header.nonce],
    ['mac', header.mac],
  ];
  if (header.ext !== '') params.push(['ext', header.ext]);
  return `MAC ${params.map(([name, value]) => `${name}="${value}"`).join(', ')}`;
}

/** One `name="value"` and what follows it: a comma before the next one, or the end. */
const PARAM = /\s*([a-z]+)="([^"\\]*)"\s*(?:,|$)/;

/**
 * Reads a MAC Authorization header; null when it is not one or lacks id, ts, nonce or mac.
 * Values are taken between quotes, so a nonce may hold commas, `=` and spaces (§2 alphabet).
 * Unknown parameters are skipped; a repeated one makes the header ambiguous and is refused.
 */
export function parseAuthorizationHeader(value: string): MacHeader | null {
  const scheme = /^MAC\s+/.exec(value);
  if (!scheme) return null;
  const params = new Map<string, string>();
  // A sticky copy per call: each match must start exactly where the previous one ended.
  const param = new RegExp(PARAM.source, 'y');
  param.lastIndex = scheme[0].length;
  while (param.lastIndex < value.length) {
    const match = param.exec(value);
    if (!match) return null;
    const [, name = '', content = ''] = match;
    if (params.has(name)) return null;
    params.set(name, content);
  }
  const clientId = params.get('id');
  const ts = params.get('ts');
  const nonce = params.get('nonce');
  const mac = params.get('mac');
  if (clientId === undefined || ts === undefined || nonce === undefined || mac === undefined) return null;
  return { clientId, ts, nonce, mac, ext: params.get('ext') ?? '' };
}

/** %x20-21 / %x23-5B / %x5D-7E: printable ASCII without `"` and `\`. */
const NONCE_ALPHABET = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i))
  .filter((char) => char !== '"' && char !== '\\')
  .join('');
const NONCE = /^[\x20-\x21\x23-\x5b\x5d-\x7e]+$/;

/** 32 random characters of the documented alphabet, as the PHP library generates. */
export function generateNonce(length = 32): string {
  let nonce = '';
  for (let i = 0; i < length; i++) nonce += NONCE_ALPHABET[randomInt(NONCE_ALPHABET.length)];
  return nonce;
}

export interface SignedRequestInput extends MacCredentials {
  method: string;
  /** The full URL the request goes to; host, port and path+query are taken from it. */
  url: URL;
  /** The exact body bytes sent, if any. */
  body?: string | Buffer;
  ts: number;
  nonce: string;
}

/** Port as the PHP library takes it: the URL's own, else 443 for https and 80 otherwise. */
export function portOf(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/** The Authorization header value for one request. */
export function signRequest(input: SignedRequestInput): string {
  const ext = buildExt(input.body);
  const ts = String(input.ts);
  const normalized = normalizedString({ ts, nonce: input.nonce, method: input.method, uri: `${input.url.pathname}${input.url.search}`, host: input.url.hostname, port: portOf(input.url), ext });
  return authorizationHeader({ clientId: input.clientId, ts, nonce: input.nonce, mac: macOf(normalized, input.macKey), ext });
}

export interface ReceivedRequest {
  method: string;
  /** Path and raw query as received. */
  uri: string;
  /** Host and port the client addressed (from its Host header). */
  host: string;
  port: string | number;
  body: Buffer;
  authorization: string | undefined;
}

export type MacVerification =
  | { ok: true; clientId: string }
  | { ok: false; reason: string; normalized?: string };

function sameBase64(received: string, expected: string): boolean {
  const a = Buffer.from(received);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Checks a received request the way Paysera does: a known client id, a body_hash that matches the
 * raw body (required whenever there is a body), and a MAC recomputed with that client's key over
 * the `ext` exactly as it arrived. Clock skew and nonce reuse are not checked: Paysera documents
 * neither (§11 q7).
 */
export function verifyMac(request: ReceivedRequest, clients: readonly MacCredentials[]): MacVerification {
  if (request.authorization === undefined) return { ok: false, reason: 'missing Authorization header' };
  const header = parseAuthorizationHeader(request.authorization);
  if (header === null) return { ok: false, reason: 'Authorization is not a MAC header with id, ts, nonce and mac' };
  const client = clients.find((candidate) => candidate.clientId === header.clientId);
  if (client === undefined) return { ok: false, reason: `unknown client id ${header.clientId}` };
  if (!/^\d+$/.test(header.ts)) return { ok: false, reason: 'ts must be UNIX seconds' };
  if (!NONCE.test(header.nonce)) return { ok: false, reason: 'nonce must be printable ASCII without " and \\' };

  const declaredHash = new URLSearchParams(header.ext).get('body_hash');
  if (declaredHash === null && request.body.length > 0) return { ok: false, reason: 'request has a body but ext has no body_hash' };
  if (declaredHash !== null && !sameBase64(declaredHash, bodyHash(request.body))) return { ok: false, reason: 'body_hash does not match the body' };

  const normalized = normalizedString({ ts: header.ts, nonce: header.nonce, method: request.method, uri: request.uri, host: request.host, port: request.port, ext: header.ext });
  if (!sameBase64(header.mac, macOf(normalized, client.macKey))) return { ok: false, reason: 'MAC does not match', normalized };
  return { ok: true, clientId: client.clientId };
}
