/** Identifiers shaped like Settle's own, so adapters never depend on a sandbox-only format. */
import { randomBytes, randomInt, randomUUID } from 'node:crypto';

const LOWER_ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';
const MIXED_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomString(alphabet: string, length: number): string {
  // randomBytes modulo a 36/62-letter alphabet is slightly biased; irrelevant for test identifiers.
  return Array.from(randomBytes(length), (byte) => alphabet[byte % alphabet.length]).join('');
}

/** Settle tids look like `p2ybyw4tq73n`. */
export function newTid(): string {
  return randomString(LOWER_ALNUM, 12);
}

/** Settle shortlink ids look like `xhTGU`. */
export function newShortlinkId(): string {
  return randomString(MIXED_ALNUM, 8);
}

/** Scan tokens are `token:` followed by digits. */
export function newScanToken(): string {
  return `token:${randomInt(1, 10 ** 9)}${String(randomInt(0, 10 ** 9)).padStart(9, '0')}`;
}

export function newMessageId(): string {
  return randomUUID();
}
