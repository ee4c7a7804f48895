/**
 * The sandbox's configuration: who the one merchant/user is, which keys sign in each direction,
 * and the timings that tests shorten. Settle's real defaults live here so every module agrees.
 */
export interface SettleSandboxConfig {
  /** Expected `X-Settle-Merchant`. */
  merchantId: string;
  /** Expected `X-Settle-User`. */
  userId: string;
  /** Expected in `Authorization: SECRET <secret>`. */
  secret: string;
  /** Verifies our RSA-SHA256 KEY-level requests (refund needs KEY). */
  userPublicKeyPem: string;
  /** The sandbox's own key; signs callbacks. */
  callbackPrivateKeyPem: string;
  /** Shortlinks that exist from the start and survive a reset. */
  shortlinks: { id: string; callbackUri: string }[];
  /** How long an authorization lives before 5012; Settle's is 3 days. */
  authValiditySeconds?: number;
  /** How the sandbox names itself in `Location`, `meta.uri` and the signed URL (default: its listen URL). */
  publicUrl?: string;
}

export interface RunningSettleSandbox {
  /** e.g. http://127.0.0.1:PORT */
  url: string;
  /** url + '/merchant/v1/' */
  merchantApiBase: string;
  close(): Promise<void>;
}

/** Settle's documented auth validity: 3 days (settle.md §9). */
export const DEFAULT_AUTH_VALIDITY_SECONDS = 259_200;

/** The configuration with defaults applied and the base URL fixed once the port is known. */
export type ResolvedConfig = Omit<SettleSandboxConfig, 'authValiditySeconds' | 'publicUrl'> & {
  authValiditySeconds: number;
  /** Without a trailing slash. */
  baseUrl: string;
};

export function resolveConfig(config: SettleSandboxConfig, listenUrl: string): ResolvedConfig {
  const { authValiditySeconds, publicUrl, ...identity } = config;
  return {
    ...identity,
    authValiditySeconds: authValiditySeconds ?? DEFAULT_AUTH_VALIDITY_SECONDS,
    baseUrl: (publicUrl ?? listenUrl).replace(/\/+$/, ''),
  };
}

export const MERCHANT_API_PATH = '/merchant/v1';
