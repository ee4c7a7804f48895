/** RFC 9457 problem+json: every error the ingress answers, with a stable machine `code`. */
import type { ErrorRequestHandler, Response } from 'express';

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
  unavailable: (detail: string) => new HttpProblem(503, 'service_unavailable', 'Service unavailable', detail),
};

export function sendProblem(res: Response, problem: HttpProblem): void {
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
  const status = (error as { status?: number; type?: string }).status;
  if (status === 400 || status === 413 || status === 415) {
    return sendProblem(res, new HttpProblem(status, 'malformed_request', 'Malformed request', 'The body is not valid JSON.'));
  }
  console.error(`[ingress] ${String(res.getHeader('X-Request-Id'))} unexpected error`, error);
  return sendProblem(res, new HttpProblem(500, 'internal_error', 'Internal error', 'Something went wrong on our side; the request id identifies it in our logs.'));
};
