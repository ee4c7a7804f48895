/**
 * Configuration from the environment (shared/spec/pos-api.md, "Configuration"). Every value is
 * checked once at start; a bad or missing one stops the process with a message naming the variable.
 * Provider credentials stay in this process: nothing here is ever passed into a workflow. Each
 * provider's own variables are declared by its plugin and read by src/provider-config.ts.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export const seconds = (name: string, fallback: number) =>
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
  WORKER_CACHED_WORKFLOWS: z.coerce.number().int().min(2).default(100),
});

/** How much the worker process takes on at once; see README, "Capacity". */
export interface WorkerCapacity {
  /** Lifecycle activities (set-up, capture, cancel, refund, ...) running at once. */
  activitySlots: number;
  /** Customers being waited on (polls) at once; beyond it, new payments are refused with 503. */
  waitSlots: number;
  /**
   * Workflows kept in memory between their tasks. A waiting payment has no task while it waits (its
   * poll runs as an activity, its tills' long polls follow its history from the ingress), so the
   * cache need not hold every waiting payment: one that was evicted replays its short history when
   * it next moves.
   */
  cachedWorkflows: number;
}

export function loadWorkerCapacity(env: Env): WorkerCapacity {
  const parsed = parse(capacitySchema, env);
  return { activitySlots: parsed.WORKER_ACTIVITY_SLOTS, waitSlots: parsed.WORKER_WAIT_SLOTS, cachedWorkflows: parsed.WORKER_CACHED_WORKFLOWS };
}

/**
 * WORKER_HEAP_GROWTH_PERCENT: how far the worker process's heap may grow past what its last full
 * collection kept before the next one (0 leaves it to V8, which allows up to 4× on a large machine).
 * See src/main/heap-growth.ts.
 */
export function loadWorkerHeapGrowthPercent(env: Env): number {
  return parse(z.object({ WORKER_HEAP_GROWTH_PERCENT: z.coerce.number().int().min(0).max(1000).default(100) }), env).WORKER_HEAP_GROWTH_PERCENT;
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

export function parse<T extends z.ZodType>(schema: T, env: Env): z.infer<T> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
  throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
}
