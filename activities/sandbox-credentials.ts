/** Fresh credentials for the built-in sandboxes, and their test knobs. */
import { generateKeyPairSync, randomBytes } from 'node:crypto';

export const rsaKeyPair = () => generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});

export const sandboxSecret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** A sandbox's numeric knob from the stack's environment (`<NAME>_SANDBOX_...`), or undefined for its default. */
export function sandboxSetting(env: Readonly<Record<string, string | undefined>>, name: string): number | undefined {
  const value = env[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new Error(`${name} must be a positive number`);
  return number;
}
