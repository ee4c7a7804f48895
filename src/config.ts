/**
 * Configuration from the environment (shared/spec/pos-api.md, "Configuration"). Every value is
 * checked once at start; a bad or missing one stops the process with a message naming the variable.
 * Provider credentials stay in this process: nothing here is ever passed into a workflow.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ProviderName } from '../workflows/payment';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/**
 * The contract variable that enables a provider: set, the service talks to that server (and its other
 * variables are required); unset, the provider is off — or, in `npm start`, its built-in sandbox.
 */
export const BASE_URL_VARIABLE: Record<ProviderName, string> = {
  settle: 'SETTLE_BASE_URL',
  tabby: 'TABBY_BASE_URL',
  seqr: 'SEQR_BASE_URL',
  paysera: 'PAYSERA_BASE_URL',
};

const seconds = (name: string, fallback: number) =>
  z.coerce.number({ error: `${name} must be a number of seconds` }).int().positive().default(fallback);

/** A PEM given inline, or a path to a file holding one. */
export function readPem(name: string, value: string): string {
  const pem = value.includes('-----BEGIN') ? value.replace(/\\n/g, '\n') : readPemFile(name, value);
  if (!pem.includes('-----BEGIN')) throw new ConfigError(`${name} is neither a PEM nor a file holding one`);
  return pem;
}

function readPemFile(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError(`${name}: cannot read ${path}`);
  }
}

/** `key=merchant[,key=merchant...]` → key → merchant. */
export function parseApiKeys(value: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of value.split(',').map((part) => part.trim()).filter(Boolean)) {
    const [key, merchant, extra] = pair.split('=');
    if (!key || !merchant || extra !== undefined || !/^[a-zA-Z0-9_.-]{1,64}$/.test(merchant)) {
      throw new ConfigError('POS_API_KEYS must look like key=merchant_id[,key=merchant_id...] with merchant ids matching [a-zA-Z0-9_.-]{1,64}');
    }
    if (keys.has(key)) throw new ConfigError('POS_API_KEYS lists the same key twice');
    keys.set(key, merchant);
  }
  return keys;
}

const capacitySchema = z.object({
  WORKER_ACTIVITY_SLOTS: z.coerce.number().int().positive().default(100),
  WORKER_WAIT_SLOTS: z.coerce.number().int().positive().default(2000),
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(2).default(500),
});

/** How much the worker process takes on at once; see README, "Capacity". */
export interface WorkerCapacity {
  /** Lifecycle activities (set-up, capture, cancel, refund, ...) running at once. */
  activitySlots: number;
  /** Customers being waited on (polls) at once; beyond it, new payments are refused with 503. */
  waitSlots: number;
  /**
   * Workflows kept in memory between their tasks (about 1 MB each). A waiting payment has no task
   * while it waits (its poll runs as an activity, its tills' long polls attach to one update), so
   * the cache need not hold every waiting payment: one that was evicted replays its short history
   * when it next moves.
   */
  cachedWorkflows: number;
}

export function loadWorkerCapacity(env: Env): WorkerCapacity {
  const parsed = parse(capacitySchema, env);
  return { activitySlots: parsed.WORKER_ACTIVITY_SLOTS, waitSlots: parsed.WORKER_WAIT_SLOTS, cachedWorkflows: parsed.WORKER_CACHED_WORKFLOWS };
}

/**
 * WORKER_METRICS_PORT: where the worker process serves Prometheus `/metrics` (business and Temporal SDK
 * metrics); null (unset) serves none, so several workers on one host need no port planning.
 */
export function loadWorkerMetricsPort(env: Env): number | null {
  if (env.WORKER_METRICS_PORT === undefined || env.WORKER_METRICS_PORT === '') return null;
  return parse(z.object({ WORKER_METRICS_PORT: z.coerce.number().int().min(0).max(65535) }), env).WORKER_METRICS_PORT;
}

const timingSchema = z.object({
  PROVIDER_REQUEST_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  POLL_HEARTBEAT_TIMEOUT_SECONDS: seconds('POLL_HEARTBEAT_TIMEOUT_SECONDS', 20),
  PAYMENT_REFUND_WINDOW_SECONDS: seconds('PAYMENT_REFUND_WINDOW_SECONDS', 180 * 24 * 3600),
});

export interface TimingConfig {
  requestTimeoutMs: number;
  pollHeartbeatTimeoutMs: number;
  refundWindowMs: number;
}

export function loadTimingConfig(env: Env): TimingConfig {
  const parsed = parse(timingSchema, env);
  return {
    requestTimeoutMs: parsed.PROVIDER_REQUEST_TIMEOUT_MS,
    pollHeartbeatTimeoutMs: parsed.POLL_HEARTBEAT_TIMEOUT_SECONDS * 1000,
    refundWindowMs: parsed.PAYMENT_REFUND_WINDOW_SECONDS * 1000,
  };
}

const settleSchema = z.object({
  SETTLE_BASE_URL: z.url({ error: 'SETTLE_BASE_URL must be a URL up to and including /merchant/v1/' }),
  SETTLE_MERCHANT_ID: z.string().min(1),
  SETTLE_USER_ID: z.string().min(1),
  SETTLE_SECRET: z.string().min(1),
  SETTLE_PRIVATE_KEY: z.string().optional(),
  SETTLE_CALLBACK_PUBLIC_KEY: z.string().min(1),
  SETTLE_SHORTLINK_ID: z.string().regex(/^[a-zA-Z0-9_.-]{1,64}$/),
  SETTLE_ALLOW_CREDIT: z.enum(['true', 'false']).default('false'),
  SETTLE_POLL_INTERVAL_MS: z.coerce.number().int().min(200).default(1000),
  SETTLE_REAUTH_BEFORE_SECONDS: seconds('SETTLE_REAUTH_BEFORE_SECONDS', 12 * 3600),
  // Settle documents no tolerance; 15 minutes is the skew its own API accepts from callers.
  SETTLE_CALLBACK_TOLERANCE_SECONDS: seconds('SETTLE_CALLBACK_TOLERANCE_SECONDS', 15 * 60),
});

export interface SettleConfig {
  baseUrl: string;
  merchantId: string;
  userId: string;
  secret: string;
  privateKeyPem: string | null;
  callbackPublicKeyPem: string;
  shortlinkId: string;
  allowCredit: boolean;
  pollIntervalMs: number;
  reauthBeforeMs: number;
  /** A signed callback whose X-Settle-Timestamp is further than this from our clock is refused (401). */
  callbackToleranceMs: number;
}

/** Settle is configured when SETTLE_BASE_URL is set; then its other variables are required. */
export function loadSettleConfig(env: Env): SettleConfig | null {
  if (!env.SETTLE_BASE_URL) return null;
  const parsed = parse(settleSchema, env);
  return {
    baseUrl: parsed.SETTLE_BASE_URL.endsWith('/') ? parsed.SETTLE_BASE_URL : `${parsed.SETTLE_BASE_URL}/`,
    merchantId: parsed.SETTLE_MERCHANT_ID,
    userId: parsed.SETTLE_USER_ID,
    secret: parsed.SETTLE_SECRET,
    privateKeyPem: parsed.SETTLE_PRIVATE_KEY ? readPem('SETTLE_PRIVATE_KEY', parsed.SETTLE_PRIVATE_KEY) : null,
    callbackPublicKeyPem: readPem('SETTLE_CALLBACK_PUBLIC_KEY', parsed.SETTLE_CALLBACK_PUBLIC_KEY),
    shortlinkId: parsed.SETTLE_SHORTLINK_ID,
    allowCredit: parsed.SETTLE_ALLOW_CREDIT === 'true',
    pollIntervalMs: parsed.SETTLE_POLL_INTERVAL_MS,
    reauthBeforeMs: parsed.SETTLE_REAUTH_BEFORE_SECONDS * 1000,
    callbackToleranceMs: parsed.SETTLE_CALLBACK_TOLERANCE_SECONDS * 1000,
  };
}

const tabbySchema = z.object({
  TABBY_BASE_URL: z.url({ error: 'TABBY_BASE_URL must be the scheme and host of the Tabby API' }),
  TABBY_SECRET_KEY: z.string().min(1),
  TABBY_MERCHANT_CODE: z.string().min(1),
  TABBY_WEBHOOK_HEADER: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name'),
  TABBY_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters'),
  TABBY_POLL_INTERVAL_MS: z.coerce.number().int().min(200).default(5000),
  TABBY_MIN_TIMEOUT_SECONDS: z.coerce.number().int().positive().default(180),
});

export interface TabbyConfig {
  baseUrl: string;
  secretKey: string;
  merchantCode: string;
  webhookHeader: string;
  webhookSecret: string;
  pollIntervalMs: number;
  minTimeoutSeconds: number;
}

/** Tabby is configured when TABBY_BASE_URL is set; then its other variables are required. */
export function loadTabbyConfig(env: Env): TabbyConfig | null {
  if (!env.TABBY_BASE_URL) return null;
  const parsed = parse(tabbySchema, env);
  return {
    baseUrl: parsed.TABBY_BASE_URL,
    secretKey: parsed.TABBY_SECRET_KEY,
    merchantCode: parsed.TABBY_MERCHANT_CODE,
    webhookHeader: parsed.TABBY_WEBHOOK_HEADER,
    webhookSecret: parsed.TABBY_WEBHOOK_SECRET,
    pollIntervalMs: parsed.TABBY_POLL_INTERVAL_MS,
    minTimeoutSeconds: parsed.TABBY_MIN_TIMEOUT_SECONDS,
  };
}

const seqrSchema = z.object({
  SEQR_BASE_URL: z.url({ error: 'SEQR_BASE_URL must be the SEQR SOAP endpoint URL' }),
  SEQR_RESELLER_ID: z.string().min(1),
  SEQR_RESELLER_USER_ID: z.string().min(1),
  SEQR_RESELLER_PASSWORD: z.string().min(1),
  SEQR_TERMINAL_SECRET: z.string().min(16, 'must be at least 16 characters: terminal passwords are derived from it'),
  SEQR_CLIENT_ID: z.string().min(1).default('pos-qr-payments'),
  SEQR_POLL_INTERVAL_MS: z.coerce.number().int().min(200).default(1000),
  SEQR_WINDOW_SECONDS: z.coerce.number().int().positive().default(30),
});

export interface SeqrConfig {
  endpoint: string;
  reseller: { id: string; userId: string; password: string };
  terminalSecret: string;
  clientId: string;
  pollIntervalMs: number;
  windowMs: number;
}

/** SEQR is configured when SEQR_BASE_URL is set; then its other variables are required. */
export function loadSeqrConfig(env: Env): SeqrConfig | null {
  if (!env.SEQR_BASE_URL) return null;
  const parsed = parse(seqrSchema, env);
  return {
    endpoint: parsed.SEQR_BASE_URL,
    reseller: { id: parsed.SEQR_RESELLER_ID, userId: parsed.SEQR_RESELLER_USER_ID, password: parsed.SEQR_RESELLER_PASSWORD },
    terminalSecret: parsed.SEQR_TERMINAL_SECRET,
    clientId: parsed.SEQR_CLIENT_ID,
    pollIntervalMs: parsed.SEQR_POLL_INTERVAL_MS,
    windowMs: parsed.SEQR_WINDOW_SECONDS * 1000,
  };
}

const payseraSchema = z.object({
  PAYSERA_BASE_URL: z.url({ error: 'PAYSERA_BASE_URL must be the scheme and host of the Paysera Wallet API' }),
  PAYSERA_CLIENT_ID: z.string().min(1),
  PAYSERA_MAC_KEY: z.string().min(1),
  PAYSERA_LOCATION_ID: z.coerce.number().int().positive(),
  PAYSERA_CALLBACK_PUBLIC_KEY: z.string().min(1),
  PAYSERA_SPOTS: z.string().optional(),
  PAYSERA_MERCHANTS: z.string().optional(),
  PAYSERA_POLL_INTERVAL_MS: z.coerce.number().int().min(200).default(1500),
  PAYSERA_WATCH_INTERVAL_SECONDS: z.coerce.number().int().positive().default(15),
});

export interface PayseraConfig {
  baseUrl: string;
  clientId: string;
  macKey: string;
  locationId: number;
  callbackPublicKeyPem: string;
  /** PAYSERA_SPOTS: the identifiers printed on the tables; null (unset) accepts every spot of the location. */
  knownSpots: string[] | null;
  /** PAYSERA_MERCHANTS: merchants allowed at the location (they see its spots); null (unset) = every merchant. */
  merchants: string[] | null;
  pollIntervalMs: number;
  watchIntervalMs: number;
}

/** Paysera is configured when PAYSERA_BASE_URL is set; then its other variables, except PAYSERA_SPOTS, are required. */
export function loadPayseraConfig(env: Env): PayseraConfig | null {
  if (!env.PAYSERA_BASE_URL) return null;
  const parsed = parse(payseraSchema, env);
  return {
    baseUrl: parsed.PAYSERA_BASE_URL,
    clientId: parsed.PAYSERA_CLIENT_ID,
    macKey: parsed.PAYSERA_MAC_KEY,
    locationId: parsed.PAYSERA_LOCATION_ID,
    callbackPublicKeyPem: readPem('PAYSERA_CALLBACK_PUBLIC_KEY', parsed.PAYSERA_CALLBACK_PUBLIC_KEY),
    knownSpots: parseSpotList(parsed.PAYSERA_SPOTS),
    merchants: parseMerchantList(parsed.PAYSERA_MERCHANTS),
    pollIntervalMs: parsed.PAYSERA_POLL_INTERVAL_MS,
    watchIntervalMs: parsed.PAYSERA_WATCH_INTERVAL_SECONDS * 1000,
  };
}

/** `TABLE1,TABLE2` → the identifiers; unset or blank → null: no list, every spot of the location is the merchant's. */
function parseSpotList(value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  const spots = value.split(',').map((spot) => spot.trim()).filter(Boolean);
  if (spots.length === 0) throw new ConfigError('PAYSERA_SPOTS lists no spot identifier: list them (e.g. TABLE1,TABLE2) or leave it unset to accept every spot');
  return spots;
}

/** `m-a,m-b` → the merchant ids; unset or blank → null: every merchant of POS_API_KEYS is allowed at the location. */
function parseMerchantList(value: string | undefined): string[] | null {
  if (value === undefined || value.trim() === '') return null;
  const merchants = value.split(',').map((merchant) => merchant.trim()).filter(Boolean);
  if (merchants.length === 0 || !merchants.every((merchant) => /^[a-zA-Z0-9_.-]{1,64}$/.test(merchant))) {
    throw new ConfigError('PAYSERA_MERCHANTS must list merchant ids (as in POS_API_KEYS), e.g. m-a,m-b, or be left unset for every merchant');
  }
  return merchants;
}

/** How providers reach our webhooks; the worker registers callback URLs under it. */
export function loadPublicBaseUrl(env: Env): string {
  return parse(z.object({ PUBLIC_BASE_URL: z.url().default('http://localhost:8080') }), env).PUBLIC_BASE_URL.replace(/\/$/, '');
}

const ingressSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  POS_API_KEYS: z.string().optional(),
  POS_CREATE_TIMEOUT_SECONDS: seconds('POS_CREATE_TIMEOUT_SECONDS', 15),
  DEMO_PAGE: z.enum(['true', 'false'], { error: 'DEMO_PAGE must be true or false' }).default('false'),
  QR_LINK_SECRET: z.string().min(32, 'QR_LINK_SECRET must be at least 32 characters').optional(),
  QR_LINK_TTL_SECONDS: z.coerce.number().int().min(60, 'QR_LINK_TTL_SECONDS must be at least 60').max(86_400).default(300),
});

export interface IngressConfig {
  port: number;
  apiKeys: Map<string, string>;
  /** How long `POST /v1/payments` waits for the payment to be ready before answering 503. */
  createTimeoutMs: number;
  /** DEMO_PAGE: serve the demo till at /demo. Off unless asked for (`npm start` asks). */
  demoPage: boolean;
  /**
   * Signed `qr.image_url` links (src/ingress/qr-links.ts): QR_LINK_SECRET, or null to derive the key
   * from POS_API_KEYS (the same on every ingress that shares the keys); how long a link is good for.
   */
  qrLinks: { secret: string | null; ttlSeconds: number };
}

export function loadIngressConfig(env: Env): IngressConfig {
  const parsed = parse(ingressSchema, env);
  if (!parsed.POS_API_KEYS) throw new ConfigError('POS_API_KEYS is required (key=merchant_id[,key=merchant_id...])');
  return {
    port: parsed.PORT,
    apiKeys: parseApiKeys(parsed.POS_API_KEYS),
    createTimeoutMs: parsed.POS_CREATE_TIMEOUT_SECONDS * 1000,
    demoPage: parsed.DEMO_PAGE === 'true',
    qrLinks: { secret: parsed.QR_LINK_SECRET ?? null, ttlSeconds: parsed.QR_LINK_TTL_SECONDS },
  };
}

function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
}
