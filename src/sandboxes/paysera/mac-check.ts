/**
 * Paysera's side of the Wallet API's security (paysera.md §2, §6), written for the sandbox from the
 * spec alone and sharing no code with the adapter: it checks the MAC a merchant client computes and
 * signs the callbacks Paysera posts.
 *
 * A MAC is base64(HMAC-SHA256(mac_key, text)) where the text is seven lines, each ending in `\n`:
 * ts, nonce, upper-case method, path with raw query, lower-case host, port, ext. `ext` is the
 * form-encoded `body_hash=<base64 SHA-256 of the body>` when there is a body, empty otherwise, and
 * goes into the MAC exactly as it appears in the header.
 */
import { createHash, createHmac, sign, timingSafeEqual } from 'node:crypto';
import { privateKeyOf } from '../../crypto-keys';

export interface MacClient {
  clientId: string;
  macKey: string;
}

export interface MacFields {
  id: string;
  ts: string;
  nonce: string;
  mac: string;
  ext: string;
}

/** The seven-line text the MAC covers. */
export function macInput(fields: { ts: string; nonce: string; method: string; uri: string; host: string; port: string | number; ext: string }): string {
  let text = '';
  for (const line of [fields.ts, fields.nonce, fields.method.toUpperCase(), fields.uri, fields.host.toLowerCase(), `${fields.port}`, fields.ext]) text += line + '\n';
  return text;
}

export function computeMac(input: string, macKey: string): string {
  return createHmac('sha256', macKey).update(input, 'utf8').digest('base64');
}

/**
 * Reads `MAC id="…", ts="…", nonce="…", mac="…"[, ext="…"]` left to right. Null for another scheme,
 * a malformed list, a repeated parameter or a missing id, ts, nonce or mac; unknown names are skipped.
 */
export function readMacHeader(header: string): MacFields | null {
  const scheme = /^MAC\s+/.exec(header);
  if (scheme === null) return null;
  const seen: Record<string, string> = {};
  let rest = header.slice(scheme[0].length);
  while (rest.length > 0) {
    const pair = /^\s*([a-z]+)="([^"\\]*)"\s*/.exec(rest);
    if (pair === null) return null;
    const name = pair[1] ?? '';
    if (Object.hasOwn(seen, name)) return null;
    seen[name] = pair[2] ?? '';
    rest = rest.slice(pair[0].length);
    if (rest.startsWith(',')) rest = rest.slice(1);
    else if (rest.length > 0) return null;
  }
  const { id, ts, nonce, mac } = seen;
  if (id === undefined || ts === undefined || nonce === undefined || mac === undefined) return null;
  return { id, ts, nonce, mac, ext: seen.ext ?? '' };
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export type MacCheck = { ok: true; clientId: string } | { ok: false; reason: string; normalized?: string };

/**
 * What Paysera does with a call: the client must be known, ts UNIX seconds, the nonce of the
 * documented alphabet, a body declared by body_hash and matching it, and the MAC recomputed with
 * that client's key. Clock skew and nonce reuse are not checked (undocumented, §11 q7).
 */
export function checkMac(
  call: { method: string; uri: string; host: string; port: string | number; body: Buffer; authorization: string | undefined },
  clients: readonly MacClient[],
): MacCheck {
  if (call.authorization === undefined) return { ok: false, reason: 'missing Authorization header' };
  const fields = readMacHeader(call.authorization);
  if (fields === null) return { ok: false, reason: 'Authorization is not a MAC header with id, ts, nonce and mac' };
  const client = clients.find(({ clientId }) => clientId === fields.id);
  if (client === undefined) return { ok: false, reason: `unknown client id ${fields.id}` };
  if (!/^[0-9]+$/.test(fields.ts)) return { ok: false, reason: 'ts must be UNIX seconds' };
  // %x20-21 / %x23-5B / %x5D-7E
  for (const char of fields.nonce) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code > 0x7e || char === '"' || char === '\\' || char.length !== 1) return { ok: false, reason: 'nonce must be printable ASCII without " and \\' };
  }
  if (fields.nonce === '') return { ok: false, reason: 'nonce must be printable ASCII without " and \\' };

  const bodyHash = new URLSearchParams(fields.ext).get('body_hash');
  if (bodyHash === null) {
    if (call.body.length > 0) return { ok: false, reason: 'request has a body but ext has no body_hash' };
  } else if (!equalText(bodyHash, createHash('sha256').update(call.body).digest('base64'))) {
    return { ok: false, reason: 'body_hash does not match the body' };
  }

  const normalized = macInput({ ts: fields.ts, nonce: fields.nonce, method: call.method, uri: call.uri, host: call.host, port: call.port, ext: fields.ext });
  if (!equalText(fields.mac, computeMac(normalized, client.macKey))) return { ok: false, reason: 'MAC does not match', normalized };
  return { ok: true, clientId: client.clientId };
}

/** `sign` of a callback (§6): base64 RSA PKCS#1 v1.5 over SHA-256 of the exact `event` string. */
export function signEvent(event: string, privateKeyPem: string): string {
  return sign('sha256', Buffer.from(event, 'utf8'), privateKeyOf(privateKeyPem)).toString('base64');
}
