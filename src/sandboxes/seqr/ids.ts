/**
 * Identifiers shaped like SEQR's own (seqr.md §3, §4 and the API examples), so adapters never
 * depend on a sandbox-only format: 32-hex terminal ids, 13-digit invoice references (SEQR's are
 * millisecond timestamps, e.g. 1397240460668), 25-digit ERS references (a timestamp to the
 * millisecond plus a sequence, e.g. 2015102910184861801032678).
 */
import { randomBytes, randomInt } from 'node:crypto';

export function newTerminalId(): string {
  return randomBytes(16).toString('hex');
}

let lastInvoiceReference = 0;

/** Unique within the process even when two invoices are sent in the same millisecond. */
export function newInvoiceReference(): string {
  lastInvoiceReference = Math.max(Date.now(), lastInvoiceReference + 1);
  return String(lastInvoiceReference).padStart(13, '0');
}

let ersSequence = randomInt(10_000_000);

export function newErsReference(now = new Date()): string {
  const stamp = now.toISOString().replace(/\D/g, '').slice(0, 17);
  ersSequence = (ersSequence + 1) % 100_000_000;
  return stamp + String(ersSequence).padStart(8, '0');
}

/** The paying customer's SEQR terminal (their app), as in receipt.payerTerminalId. */
export function newPayerTerminalId(): string {
  return randomBytes(13).toString('hex').slice(0, 25);
}
