/**
 * `GET /v1/payments` cursors: Temporal's visibility `nextPageToken`, made tamper-evident.
 *
 * Why a MAC and not mapping Temporal's answer: the token is opaque and backend-specific (SQL and
 * Elasticsearch visibility encode it differently), and Temporal does not refuse a bad one cleanly.
 * The dev server answers an undecodable token with UNKNOWN "something went wrong, please retry",
 * which the gRPC client retries before it surfaces as a 500 (21 s in the fault campaign), and it
 * accepts well-formed JSON that is no token of its own (`{"x":1}` lists from the start). So a
 * cursor we did not give out is refused here, in microseconds, as `422` on `cursor`, before
 * Temporal sees it. The MAC also binds the cursor to the merchant and the filters it was issued
 * for, so a cursor is only good for the listing that produced it (other filters: 422).
 *
 * Where the key comes from: several ingress processes sit behind one address and a till may send
 * page 2 to another ingress than page 1, so every ingress must accept every other's cursors. A
 * per-process random key would break that (and every restart would invalidate open cursors). The
 * key is derived (SHA-256, with its own label) from `POS_API_KEYS`, the one secret every ingress of
 * a deployment necessarily shares: a key must work on every ingress. Nothing else needs
 * configuring. While a rollout changes `POS_API_KEYS`, a cursor issued by an ingress with the old
 * keys is refused by one with the new (422 on `cursor`): the till lists again from the first page.
 * A MAC says nothing about the token's meaning, so a genuine cursor that Temporal still refuses
 * (e.g. after a visibility-store migration) is mapped to the same 422 by the gateway.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const LABEL = 'pos-qr-payments list cursor v1';
const MAC_BYTES = 16;
/** The shape of a cursor: `<token>.<mac>`, both base64url. Temporal's tokens are far below this. */
export const CURSOR_PATTERN = /^[A-Za-z0-9_-]{1,4096}\.[A-Za-z0-9_-]{22}$/;

export class ListCursors {
  private readonly key: Buffer;

  constructor(secret: string | Buffer) {
    this.key = createHash('sha256').update(LABEL).update('\n').update(secret).digest();
  }

  /** The key material every ingress of a deployment shares: its API keys, in a canonical order. */
  static fromApiKeys(apiKeys: ReadonlyMap<string, string>): ListCursors {
    const canonical = [...apiKeys].map(([key, merchant]) => `${merchant}\u0000${key}`).sort().join('\n');
    return new ListCursors(canonical);
  }

  /** The cursor for `token` in the listing `scope` (merchant and filters). */
  seal(token: Uint8Array, scope: string): string {
    return `${Buffer.from(token).toString('base64url')}.${this.mac(token, scope).toString('base64url')}`;
  }

  /** The token a cursor carries, or null when this listing never gave it out. */
  open(cursor: string, scope: string): Buffer | null {
    if (!CURSOR_PATTERN.test(cursor)) return null;
    const [tokenPart = '', macPart = ''] = cursor.split('.');
    const token = Buffer.from(tokenPart, 'base64url');
    const presented = Buffer.from(macPart, 'base64url');
    // The re-encoding check refuses non-canonical base64url (trailing bits) so one token has one cursor.
    if (token.length === 0 || token.toString('base64url') !== tokenPart || presented.length !== MAC_BYTES) return null;
    return timingSafeEqual(presented, this.mac(token, scope)) ? token : null;
  }

  private mac(token: Uint8Array, scope: string): Buffer {
    return createHmac('sha256', this.key).update(scope).update('\u0000').update(token).digest().subarray(0, MAC_BYTES);
  }
}

/** The listing a cursor belongs to: the merchant and every filter, in a fixed order. */
export function listScope(merchantId: string, filter: { pos_id?: string; state?: string; provider?: string }): string {
  return JSON.stringify([merchantId, filter.pos_id ?? null, filter.state ?? null, filter.provider ?? null]);
}
