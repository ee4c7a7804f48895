/**
 * The sandbox's configuration: the resellers SEQR would have issued (terminals are registered
 * through the API, as a POS does), the accepted currencies, and the reversal window tests shorten.
 * SEQR's real defaults live here so every module agrees.
 */
import { minorDigits } from '../shared/decimal-money';

export interface SeqrSandboxConfig {
  /** Reseller users (RESELLERUSER principals) from SEQR's "startup kit": id, user number, password. */
  resellers: { id: string; userId: string; password: string }[];
  /** SEQR reverses a PAID invoice not polled within this many seconds after payment (seqr.md §7: 20). */
  reversalSeconds?: number;
  /** Accepted invoice currencies, default ['SEK', 'EUR', 'NOK', 'DKK']. */
  currencies?: string[];
}

export interface RunningSeqrSandbox {
  /** Base URL, e.g. http://127.0.0.1:PORT */
  url: string;
  /** The SOAP endpoint: url + SOAP_PATH. */
  endpoint: string;
  close(): Promise<void>;
}

/** The path of SEQR's API v2.6 test endpoint (seqr.md §1), so only the host differs from SEQR's. */
export const SOAP_PATH = '/soap/merchant/cashregister-2';

export const DEFAULT_REVERSAL_SECONDS = 20;
export const DEFAULT_CURRENCIES = ['SEK', 'EUR', 'NOK', 'DKK'] as const;

export interface ResolvedConfig {
  resellers: readonly { id: string; userId: string; password: string }[];
  reversalMs: number;
  currencies: ReadonlySet<string>;
}

export function resolveConfig(config: SeqrSandboxConfig): ResolvedConfig {
  const currencies = config.currencies ?? DEFAULT_CURRENCIES;
  // Money is kept in minor units, so every accepted currency needs a known exponent.
  for (const currency of currencies) if (minorDigits(currency) === undefined) throw new Error(`currencies: no minor-unit exponent known for ${currency}`);
  const reversalSeconds = config.reversalSeconds ?? DEFAULT_REVERSAL_SECONDS;
  if (!(reversalSeconds > 0)) throw new Error(`reversalSeconds must be positive, got ${reversalSeconds}`);
  return { resellers: config.resellers, reversalMs: reversalSeconds * 1000, currencies: new Set(currencies) };
}
