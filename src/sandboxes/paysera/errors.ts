/**
 * Paysera's error answers (paysera.md §8): `{"error": code, "error_description": text}` with the
 * status that belongs to the code, plus `error_properties` where the sandbox has detail to give.
 */
import type { Response } from 'express';

export interface PayseraError {
  error: string;
  error_description: string;
  error_properties?: Record<string, unknown>;
}

/** A refused request. A class, so `instanceof` tells it from a result. */
export class Refusal {
  readonly body: PayseraError;

  constructor(
    readonly status: number,
    error: string,
    description: string,
    properties?: Record<string, unknown>,
  ) {
    this.body = { error, error_description: description, ...(properties === undefined ? {} : { error_properties: properties }) };
  }
}

export const invalidRequest = (description: string) => new Refusal(400, 'invalid_request', description);
export const invalidParameters = (description: string) => new Refusal(400, 'invalid_parameters', description);
export const unauthorized = (description: string, properties?: Record<string, unknown>) => new Refusal(401, 'unauthorized', description, properties);
export const forbidden = (description: string) => new Refusal(403, 'forbidden', description);
export const notFound = (description: string) => new Refusal(404, 'not_found', description);
export const invalidState = (description: string) => new Refusal(409, 'invalid_state', description);
export const internalError = (description: string) => new Refusal(500, 'internal_server_error', description);

export function sendRefusal(res: Response, refused: Refusal): void {
  res.status(refused.status).json(refused.body);
}
