/**
 * Every HTTP call the bench makes, through one undici pool sized for thousands of long polls held
 * open at once. Each call has its own time limit and also ends when the run is stopped, and reports
 * how long it took, so the callers only decide what a latency or a failure means.
 */
import { performance } from 'node:perf_hooks';
import { Agent, request } from 'undici';

/**
 * A ramp level holds one long poll per waiting payment on one ingress, plus creates and probes
 * beside them: connections per origin must not be what limits the service. One request per
 * connection (`pipelining: 1`), so a held long poll never delays a request queued behind it.
 */
const agent = new Agent({
  connections: 8192,
  pipelining: 1,
  keepAliveTimeout: 30_000,
  keepAliveMaxTimeout: 60_000,
  // Time limits are per call (AbortSignal), not the pool's defaults.
  headersTimeout: 0,
  bodyTimeout: 0,
  connect: { timeout: 10_000 },
});

export interface Answer<T> {
  status: number;
  body: T;
  /** From sending the request to having the whole body. */
  ms: number;
}

export type FailureKind = 'timeout' | 'stopped' | 'network';

export class CallFailed extends Error {
  override name = 'CallFailed';
  constructor(readonly kind: FailureKind, message: string, readonly ms: number) {
    super(message);
  }
}

export interface CallOptions {
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Ends the call early: the run's deadline, or the till that stopped caring. */
  signal: AbortSignal;
}

export async function callJson<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options: CallOptions): Promise<Answer<T>> {
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const started = performance.now();
  try {
    const response = await request(url, {
      dispatcher: agent,
      method,
      headers: { ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: AbortSignal.any([timeout, options.signal]),
    });
    const text = await response.body.text();
    return { status: response.statusCode, body: parseJson(text) as T, ms: performance.now() - started };
  } catch (error) {
    const ms = performance.now() - started;
    if (timeout.aborted) throw new CallFailed('timeout', `${method} ${url}: no answer within ${options.timeoutMs} ms`, ms);
    if (options.signal.aborted) throw new CallFailed('stopped', `${method} ${url}: stopped`, ms);
    throw new CallFailed('network', `${method} ${url}: ${error instanceof Error ? error.message : String(error)}`, ms);
  }
}

/** A proxy's HTML error page is an answer too: kept as text, so the status decides, not a parse error. */
function parseJson(text: string): unknown {
  if (text.length === 0) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export async function closeHttp(): Promise<void> {
  await agent.destroy();
}
