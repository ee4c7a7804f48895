/**
 * Settle's error bodies (settle.md §8). Live examples use `error_detail`, the validation example
 * uses `error_details`; the sandbox reproduces each where Settle shows it, so adapters learn to
 * parse both.
 */
import type { Response } from 'express';
import type { z } from 'zod';

export interface SettleError {
  error_type: string;
  error_description: string;
  error_detail?: Record<string, unknown> | null;
  error_details?: Record<string, string[]>;
}

/** A refused request: the HTTP status plus the body to send. */
export interface Refusal {
  status: number;
  body: SettleError;
}

export function refusal(status: number, errorType: string, description: string, detail: Record<string, unknown> | null = null): Refusal {
  return { status, body: { error_type: errorType, error_description: description, error_detail: detail } };
}

export function unauthorized(description: string, detail: Record<string, unknown> | null = null): Refusal {
  return refusal(401, 'Unauthorized', description, detail);
}

export function conflict(errorType: string, description: string): Refusal {
  return refusal(409, errorType, description);
}

export function notFound(what: string): Refusal {
  return refusal(404, 'not_found', `${what} not found`);
}

function validationError(details: Record<string, string[]>): Refusal {
  return {
    status: 400,
    body: { error_type: 'validation_error', error_description: 'Request validation failed', error_details: details },
  };
}

/** One field, one message: the common case for checks zod cannot express (unknown shortlink, currency). */
export function fieldError(field: string, message: string): Refusal {
  return validationError({ [field]: [message] });
}

export function fromZodError(error: z.ZodError): Refusal {
  const details: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const field = issue.path.length > 0 ? issue.path.join('.') : '__all__';
    (details[field] ??= []).push(issue.message);
  }
  return validationError(details);
}

export function sendRefusal(res: Response, refused: Refusal): void {
  res.status(refused.status).json(refused.body);
}
