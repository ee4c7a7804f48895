/** Minimal JSON-over-HTTP for tests, returning status, headers and parsed body without throwing. */
import { request } from 'undici';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever shape the answer has
export interface TestResponse<T = any> {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: T;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see TestResponse
export async function call<T = any>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, options: { body?: unknown; headers?: Record<string, string>; raw?: string } = {}): Promise<TestResponse<T>> {
  const payload = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await request(url, {
    method,
    headers: { ...(payload !== undefined ? { 'content-type': 'application/json' } : {}), ...options.headers },
    body: payload,
  });
  const text = await response.body.text();
  let body: unknown = text;
  try {
    body = text.length > 0 ? JSON.parse(text) : null;
  } catch {
    // not JSON (an SVG, say): keep the text
  }
  return { status: response.statusCode, headers: response.headers, body: body as T };
}

/** Repeats `probe` until it returns a value, or fails with `what` after `timeoutMs`. For external state only. */
export async function eventually<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== null && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The sum of a Prometheus counter over all its label sets, as `metricsUrl` serves it now. */
export async function counterTotal(metricsUrl: string, name: string): Promise<number> {
  const text = String((await call('GET', metricsUrl)).body);
  return [...text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\d+)`, 'gm'))].reduce((sum, [, count]) => sum + Number(count), 0);
}
