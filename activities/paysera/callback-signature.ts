/**
 * Wallet API callback signatures (paysera.md §6): `sign` is a base64 RSA-SHA256 (PKCS#1 v1.5)
 * signature over the exact `event` string, checked with Paysera's public key (GET /publickey).
 * Our webhook verifies with it; the sandbox signs with its own code.
 */
import { createSign, createVerify } from 'node:crypto';
import { privateKeyOf, publicKeyOf } from '../../src/crypto-keys';

export interface CallbackForm {
  event: string;
  sign: string;
}

export function signCallback(event: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(event).sign(privateKeyOf(privateKeyPem), 'base64');
}

/** False for a bad signature and for anything that is not one (garbage base64, a bad key). */
export function verifyCallback(form: CallbackForm, publicKeyPem: string): boolean {
  try {
    return createVerify('RSA-SHA256').update(form.event).verify(publicKeyOf(publicKeyPem), form.sign, 'base64');
  } catch {
    return false;
  }
}
