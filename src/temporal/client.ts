/**
 * The ingress's and the worker's Temporal client, and how a POS call tells "Temporal cannot be
 * reached" apart from a bug: the first is an expected event (a 503 the till retries), never a 500.
 */
import { Client, Connection, defaultGrpcRetryOptions, isGrpcServiceError, makeGrpcRetryInterceptor } from '@temporalio/client';
import { OpenTelemetryWorkflowClientInterceptor } from '@temporalio/interceptors-opentelemetry';
import type { TemporalConfig } from './connection-config';

/**
 * gRPC statuses that mean the frontend did not serve the call: UNAVAILABLE (refused, reset, no
 * route), DEADLINE_EXCEEDED (it never answered in time) and RESOURCE_EXHAUSTED (it sheds load).
 */
const UNREACHABLE_CODES = new Set([14, 4, 8]);

/**
 * A POS waits for its answer, so a frontend that is down must be reported within about a second,
 * not after the SDK's default ten attempts (~20 s of backoff). Four attempts ride out a blip.
 */
const POS_GRPC_RETRY = defaultGrpcRetryOptions({ maxAttempts: 4 });

/**
 * Connects lazily: the process starts (and `/readyz` explains) while Temporal is still down, and
 * every call made meanwhile fails fast with an error `isTemporalUnreachable` recognises. TLS and the
 * API key come with the connection options; a failed handshake is UNAVAILABLE, so it counts as down.
 * Starts, updates and signals carry the caller's trace into the workflow (src/observability/tracing.ts).
 */
export function temporalClient(config: TemporalConfig): Client {
  const connection = Connection.lazy({ ...config.connection, interceptors: [makeGrpcRetryInterceptor(POS_GRPC_RETRY)] });
  return new Client({ connection, namespace: config.namespace, interceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] } });
}

/**
 * True when `error` (or anything in its cause chain) says the Temporal frontend could not be reached,
 * or refused the call for load (RESOURCE_EXHAUSTED: the namespace's rate limit) — both pass.
 */
export function isTemporalUnreachable(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause) && UNREACHABLE_CODES.has(cause.code)) return true;
    if (/Failed to connect before the deadline/.test(cause.message)) return true;
  }
  return false;
}
