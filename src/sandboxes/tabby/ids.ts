/** Identifiers shaped like Tabby's own (uuids), so adapters never depend on a sandbox-only format. */
import { randomBytes, randomUUID } from 'node:crypto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function newId(): string {
  return randomUUID();
}

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The qr_code link's secret: whoever has the link may fetch the image, nobody can guess it. */
export function newQrToken(): string {
  return randomBytes(16).toString('base64url');
}
