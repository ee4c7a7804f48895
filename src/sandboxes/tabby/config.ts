/**
 * The sandbox's configuration: the merchant's key and branch codes, pre-registered webhooks, and
 * the merchant settings and timings Tabby keeps on its side (auto-capture, session expiry,
 * eligibility limits). Tabby's real defaults live here so every module agrees.
 */
import { CURRENCIES, toMinorUnits, type Currency } from './money';

export interface TabbySandboxConfig {
  /** Expected `Authorization: Bearer <secretKey>`. */
  secretKey: string;
  /** Known `merchant_code` values; an unknown one is `401 merchant is null`. */
  merchantCodes: string[];
  /** Registered from the start for every merchant code (also registrable via /api/v1/webhooks); survive a reset. */
  webhooks?: { url: string; header?: { title: string; value: string } }[];
  /** Tabby's merchant setting: after the customer authorizes, capture everything and close. Default true. */
  autoCapture?: boolean;
  /** An unfinished session's payment turns EXPIRED after this. Default 1200 (20 min, tabby.md §7). */
  sessionExpirySeconds?: number;
  /** Eligibility limit per currency in major units; above it a session is rejected `order_amount_too_high`. */
  maxOrderAmount?: Record<string, string>;
  /** How the sandbox names itself in qr_code/web_url links (default: its listen URL). */
  publicUrl?: string;
}

export interface RunningTabbySandbox {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  close(): Promise<void>;
}

export const DEFAULT_SESSION_EXPIRY_SECONDS = 1_200;
export const DEFAULT_MAX_ORDER_AMOUNT: Readonly<Record<Currency, string>> = { AED: '20000.00', SAR: '20000.00', KWD: '2000.000' };

export interface ResolvedConfig {
  secretKey: string;
  merchantCodes: ReadonlySet<string>;
  webhooks: { url: string; header: { title: string; value: string } | null }[];
  autoCapture: boolean;
  sessionExpiryMs: number;
  /** Per currency, in minor units. */
  maxOrderAmount: ReadonlyMap<Currency, number>;
  /** Without a trailing slash. */
  baseUrl: string;
}

export function resolveConfig(config: TabbySandboxConfig, listenUrl: string): ResolvedConfig {
  const limits = { ...DEFAULT_MAX_ORDER_AMOUNT, ...config.maxOrderAmount };
  const maxOrderAmount = new Map<Currency, number>();
  for (const [currency, limit] of Object.entries(limits)) {
    const supported = CURRENCIES.find((known) => known === currency);
    if (supported === undefined) throw new Error(`maxOrderAmount: Tabby does not support ${currency}`);
    const minor = toMinorUnits(limit, supported);
    if (minor === null) throw new Error(`maxOrderAmount.${currency}: not a valid ${currency} amount: ${limit}`);
    maxOrderAmount.set(supported, minor);
  }
  return {
    secretKey: config.secretKey,
    merchantCodes: new Set(config.merchantCodes),
    webhooks: (config.webhooks ?? []).map((hook) => ({ url: hook.url, header: hook.header ?? null })),
    autoCapture: config.autoCapture ?? true,
    sessionExpiryMs: (config.sessionExpirySeconds ?? DEFAULT_SESSION_EXPIRY_SECONDS) * 1000,
    maxOrderAmount,
    baseUrl: (config.publicUrl ?? listenUrl).replace(/\/+$/, ''),
  };
}
