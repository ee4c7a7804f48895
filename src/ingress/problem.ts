/** RFC 9457 problem+json: every error the ingress answers, with a stable machine `code`. */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { logger } from '../observability/logger';
import { isTemporalUnreachable } from '../temporal/client';

export interface FieldMessage {
  field: string;
  message: string;
}

/** One title per code, whichever layer refused: `invalid_state` → "Invalid state". */
function titleOf(code: string): string {
  const words = code.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export class HttpProblem extends Error {
  override name = 'HttpProblem';
  readonly title: string;
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly extra: Record<string, unknown> = {},
    /** Seconds after which the caller may try again (`Retry-After`), for problems that pass. */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(detail);
    this.title = titleOf(code);
  }
}

export const problems = {
  validation: (errors: FieldMessage[], detail = 'The request has invalid fields.') =>
    new HttpProblem(422, 'validation_failed', detail, { errors }),
  notFound: (detail: string) => new HttpProblem(404, 'not_found', detail),
  unauthorized: (detail: string) => new HttpProblem(401, 'unauthorized', detail),
  invalidState: (detail: string, payment: unknown) => new HttpProblem(409, 'invalid_state', detail, { payment }),
  /** Nothing was started: the POS may send the very same request again after `Retry-After`. */
  temporalUnavailable: (detail = 'Temporal cannot be reached right now; nothing was started or changed.') =>
    new HttpProblem(503, 'temporal_unavailable', detail, {}, TEMPORAL_RETRY_AFTER_SECONDS),
  workerUnavailable: (detail: string) => new HttpProblem(503, 'worker_unavailable', detail, {}, TEMPORAL_RETRY_AFTER_SECONDS),
  /** No wait slot is free: nothing was started; the same request may be sent again later. */
  capacityExhausted: () => new HttpProblem(503, 'capacity_exhausted', 'Every customer-wait slot is busy, so no new payment can be watched right now; nothing was started. Send the same request again after Retry-After.',
    {}, CAPACITY_RETRY_AFTER_SECONDS),
  /** The payment may exist and become ready later: the very same request then returns it. */
  notReady: (waitedMs: number) => new HttpProblem(503, 'capacity_exhausted', `The service is overloaded: the payment was not ready within ${waitedMs / 1000} s. Send the very same request again after Retry-After; it returns this payment once it is ready (it may already exist).`,
    {}, CAPACITY_RETRY_AFTER_SECONDS),
  unsupportedMediaType: (detail: string) => new HttpProblem(415, 'unsupported_media_type', detail),
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
  // JSON is UTF-8 (RFC 8259, and the contract); body-parser would also decode UTF-7 or UTF-16.
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.get('Content-Type') ?? '')?.[1]?.toLowerCase();
  if (hasContent(req) && charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return next(problems.unsupportedMediaType(`JSON bodies are UTF-8; charset=${charset.slice(0, 40)} is not supported`));
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

/**
 * A client error Express or body-parser raised before any route ran (they carry a 4xx `status` and,
 * from body-parser, a `type`): a body that is not JSON, too large, in an unknown charset or
 * encoding, or a path that is not valid percent-encoding. Always the caller's fault, so always 4xx.
 */
function requestProblem(error: unknown): HttpProblem | null {
  const { status, type } = (error ?? {}) as { status?: unknown; type?: unknown };
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  if (status === 413) return new HttpProblem(413, 'payload_too_large', 'The body is larger than this endpoint accepts.');
  if (status === 415) return problems.unsupportedMediaType('The body’s charset or content encoding is not supported; send UTF-8 JSON, uncompressed.');
  if (type === 'entity.parse.failed') return new HttpProblem(400, 'malformed_request', 'The body is not valid JSON.');
  if (typeof type === 'string') return new HttpProblem(status, 'malformed_request', 'The body could not be read.');
  return new HttpProblem(status, 'malformed_request', 'The request could not be read (e.g. its path is not valid percent-encoding).');
}

/** Last handler: known problems as they are; request-reading errors as 4xx; anything else as a bare 500. */
export const problemHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  if (error instanceof HttpProblem) return sendProblem(res, error);
  if (isTemporalUnreachable(error)) return sendProblem(res, problems.temporalUnavailable());
  const clientError = requestProblem(error);
  if (clientError) return sendProblem(res, clientError);
  logger.error({ err: error, request_id: res.getHeader('X-Request-Id') }, 'unexpected error');
  return sendProblem(res, new HttpProblem(500, 'internal_error', 'Something went wrong on our side; the request id identifies it in our logs.'));
};
