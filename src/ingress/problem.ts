/** RFC 9457 problem+json: every error the ingress answers, with a stable machine `code`. */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { isTemporalUnreachable } from '../temporal/client';

export interface FieldMessage {
  field: string;
  message: string;
}

export class HttpProblem extends Error {
  override name = 'HttpProblem';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Seconds after which the caller may try again (`Retry-After`), for problems that pass. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(detail);
  }
}

export const problems = {
  validation: (errors: FieldMessage[], detail = 'The request has invalid fields.') =>
    new HttpProblem(422, 'validation_failed', 'Validation failed', detail, { errors }),
  notFound: (detail: string) => new HttpProblem(404, 'not_found', 'Not found', detail),
  unauthorized: (detail: string) => new HttpProblem(401, 'unauthorized', 'Unauthorized', detail),
  invalidState: (detail: string, payment: unknown) => new HttpProblem(409, 'invalid_state', 'Invalid state', detail, { payment }),
  /** Nothing was started: the POS may send the very same request again after `Retry-After`. */
  temporalUnavailable: (detail = 'Temporal cannot be reached right now; nothing was started or changed.') =>
    new HttpProblem(503, 'temporal_unavailable', 'Temporal unavailable', detail, {}, TEMPORAL_RETRY_AFTER_SECONDS),
  workerUnavailable: (detail: string) => new HttpProblem(503, 'worker_unavailable', 'Worker unavailable', detail, {}, TEMPORAL_RETRY_AFTER_SECONDS),
  /** No wait slot is free: nothing was started; the same request may be sent again later. */
  capacityExhausted: () => new HttpProblem(503, 'capacity_exhausted', 'Capacity exhausted',
    'Every customer-wait slot is busy, so no new payment can be watched right now; nothing was started. Send the same request again after Retry-After.',
    {}, CAPACITY_RETRY_AFTER_SECONDS),
  /** The payment may exist and become ready later: the very same request then returns it. */
  notReady: (waitedMs: number) => new HttpProblem(503, 'capacity_exhausted', 'Capacity exhausted',
    `The service is overloaded: the payment was not ready within ${waitedMs / 1000} s. Send the very same request again after Retry-After; it returns this payment once it is ready (it may already exist).`,
    {}, CAPACITY_RETRY_AFTER_SECONDS),
  unsupportedMediaType: (detail: string) => new HttpProblem(415, 'unsupported_media_type', 'Unsupported media type', detail),
};

const TEMPORAL_RETRY_AFTER_SECONDS = 5;
const CAPACITY_RETRY_AFTER_SECONDS = 10;

/**
 * Command bodies are JSON. A form or text body is refused as such (415) instead of being read as an
 * empty object whose fields are all "missing"; a command without a body stays valid.
 */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  if (hasContent(req) && !req.is(['application/json', 'application/*+json'])) {
    return next(problems.unsupportedMediaType(`this endpoint takes a JSON body (Content-Type: application/json), not ${req.get('Content-Type') ?? 'an untyped body'}`));
  }
  next();
};

/** A body of at least one byte; clients send `Content-Length: 0` on a bare POST. */
function hasContent(req: Request): boolean {
  const length = req.get('Content-Length');
  return req.get('Transfer-Encoding') !== undefined || (length !== undefined && length !== '0');
}

export function sendProblem(res: Response, problem: HttpProblem): void {
  if (problem.retryAfterSeconds !== null) res.set('Retry-After', String(problem.retryAfterSeconds));
  res
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: `https://docs.pos-payments.dev/problems/${problem.code}`,
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      code: problem.code,
      request_id: res.getHeader('X-Request-Id'),
      ...problem.extra,
    });
}

/** Last handler: known problems as they are; body-parser errors as 400; anything else as a bare 500. */
export const problemHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  if (error instanceof HttpProblem) return sendProblem(res, error);
  if (isTemporalUnreachable(error)) return sendProblem(res, problems.temporalUnavailable());
  const status = (error as { status?: number; type?: string }).status;
  if (status === 400 || status === 413 || status === 415) {
    return sendProblem(res, new HttpProblem(status, 'malformed_request', 'Malformed request', 'The body is not valid JSON.'));
  }
  console.error(`[ingress] ${String(res.getHeader('X-Request-Id'))} unexpected error`, error);
  return sendProblem(res, new HttpProblem(500, 'internal_error', 'Internal error', 'Something went wrong on our side; the request id identifies it in our logs.'));
};
