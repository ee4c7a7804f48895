/**
 * Every provider HTTP exchange (request and answer body) as an OpenTelemetry client span, a child of
 * the activity's span, so a payment's trace shows each call, its status and its duration. The span
 * carries the method, host and path, never the query string or headers (tokens, signatures).
 * A no-op while tracing is off (src/observability/tracing.ts).
 */
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { request } from 'undici';

const tracer = trace.getTracer('pos-qr-payments/providers');

export interface RawAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

export function tracedRequest(url: string, options: NonNullable<Parameters<typeof request>[1]>): Promise<RawAnswer> {
  const method = options.method ?? 'GET';
  const { protocol, hostname, port, pathname } = new URL(url);
  const attributes = { 'http.request.method': method, 'url.scheme': protocol.replace(':', ''), 'server.address': hostname, 'server.port': Number(port) || (protocol === 'https:' ? 443 : 80), 'url.path': pathname };
  return tracer.startActiveSpan(method, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    try {
      const response = await request(url, options);
      const answer = { statusCode: response.statusCode, headers: response.headers, text: await response.body.text() };
      span.setAttribute('http.response.status_code', answer.statusCode);
      if (answer.statusCode >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return answer;
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as { code?: string }).code ?? (error as Error).name });
      throw error;
    } finally {
      span.end();
    }
  });
}
