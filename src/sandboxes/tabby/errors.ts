/**
 * Tabby's error answers (tabby.md §8): `{"status":"error","errorType":…,"error":…}` for API
 * errors, plain text for unknown routes and for 500. The `error` text is for people; Tabby says
 * not to parse it, so the sandbox's wording only follows Tabby's where Tabby shows one.
 */
import type { Response } from 'express';

export interface TabbyError {
  status: 'error';
  errorType: string;
  error: string;
}

/** A refused request: the HTTP status plus the body to send. A class, so `instanceof` tells it from a result. */
export class Refusal {
  readonly body: TabbyError;

  constructor(
    readonly status: number,
    errorType: string,
    error: string,
  ) {
    this.body = { status: 'error', errorType, error };
  }
}

export const badData = (error: string) => new Refusal(400, 'bad_data', error);
export const notAuthorized = (error: string) => new Refusal(401, 'not_authorized', error);
export const notFound = (error: string) => new Refusal(404, 'not_found', error);
/** Only the control API uses it: a customer acting on a finished checkout. */
export const conflict = (error: string) => new Refusal(409, 'conflict', error);

export function sendRefusal(res: Response, refused: Refusal): void {
  res.status(refused.status).json(refused.body);
}

/** Unknown routes answer like Tabby's Go router: plain text, not JSON. */
export function sendPageNotFound(res: Response): void {
  res.status(404).type('text/plain').send('404 page not found');
}

/** Tabby's 500 body is a plain string (tabby.md §8). */
export function sendInternalError(res: Response): void {
  res.status(500).type('text/plain').send('Internal Server error');
}
