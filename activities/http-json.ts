/**
 * JSON over HTTP for provider clients, with one classification of faults for every provider:
 * network errors, timeouts, 5xx and unreadable bodies are retryable (plain errors, Temporal retries
 * them with backoff); answers the provider gave on purpose are returned for the adapter to judge.
 */
import type { Dispatcher } from 'undici';
import { tracedRequest, type RawAnswer } from './provider-span';

export interface JsonResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON; null for an empty body or a deliberate non-JSON error answer (see `text`). */
  body: unknown;
  text: string;
}

export class ProviderUnavailableError extends Error {
  override name = 'ProviderUnavailableError';
}

export interface JsonRequest {
  method: Dispatcher.HttpMethod;
  url: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export async function sendJson(req: JsonRequest): Promise<JsonResponse> {
  let response: RawAnswer;
  try {
    response = await tracedRequest(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      headersTimeout: req.timeoutMs,
      bodyTimeout: req.timeoutMs,
    });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'network error';
    throw new ProviderUnavailableError(`${req.method} ${new URL(req.url).pathname}: ${code}`);
  }
  if (response.statusCode >= 500) {
    throw new ProviderUnavailableError(`${req.method} ${new URL(req.url).pathname}: HTTP ${response.statusCode}`);
  }
  const { text } = response;
  let body: unknown = null;
  if (text.length > 0) {
    try {
      body = JSON.parse(text);
    } catch {
      // A success we cannot read is a cut answer; a refusal in plain text is still a refusal.
      if (response.statusCode < 400) {
        throw new ProviderUnavailableError(`${req.method} ${new URL(req.url).pathname}: unreadable body (HTTP ${response.statusCode})`);
      }
    }
  }
  return { status: response.statusCode, headers: response.headers, body, text };
}
