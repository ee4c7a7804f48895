/**
 * The sandbox's configuration: whose MAC credentials it accepts, the key it signs callbacks with,
 * and the one location whose spots it keeps.
 */
import { createPublicKey } from 'node:crypto';
import type { MacClient } from './mac-check';

export interface PayseraSandboxConfig {
  /** MAC credentials it accepts (the merchant's). */
  clients: MacClient[];
  /** Signs callbacks; its public key is served at GET /publickey. */
  callbackPrivateKeyPem: string;
  /** Spot codes are PAYSERA*<locationId>:<identifier>. */
  locationId: number;
  /** Identifiers that exist from the start (e.g. TABLE1) and survive a reset. */
  knownSpots?: string[];
}

export interface RunningPayseraSandbox {
  /** e.g. http://127.0.0.1:PORT; the API is under /rest/v1. */
  url: string;
  close(): Promise<void>;
}

export interface ResolvedConfig {
  clients: readonly MacClient[];
  callbackPrivateKeyPem: string;
  callbackPublicKeyPem: string;
  locationId: number;
  knownSpots: readonly string[];
}

export function resolveConfig(config: PayseraSandboxConfig): ResolvedConfig {
  if (config.clients.length === 0) throw new Error('clients: at least one MAC client is needed');
  if (!Number.isInteger(config.locationId) || config.locationId <= 0) throw new Error(`locationId: not a positive integer: ${config.locationId}`);
  return {
    clients: config.clients.map((client) => ({ ...client })),
    callbackPrivateKeyPem: config.callbackPrivateKeyPem,
    // Derived here so a key that is not a private key fails at start, not at the first callback.
    callbackPublicKeyPem: createPublicKey(config.callbackPrivateKeyPem).export({ type: 'spki', format: 'pem' }).toString(),
    locationId: config.locationId,
    knownSpots: [...(config.knownSpots ?? [])],
  };
}
