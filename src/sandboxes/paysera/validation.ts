/**
 * Request bodies arrive as raw bytes (the MAC check hashes exactly what arrived), so JSON is parsed
 * only here, after authentication. Malformed JSON is Paysera's `invalid_request`, a body or query
 * that does not fit is `invalid_parameters` (§8).
 */
import type { Request } from 'express';
import type { z } from 'zod';
import { invalidParameters, invalidRequest, type Refusal } from './errors';

export function rawBodyOf(req: Request): Buffer {
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

/** The parsed body; `undefined` when none was sent. */
export function jsonBodyOf(req: Request): { value: unknown } | Refusal {
  const raw = rawBodyOf(req);
  if (raw.length === 0) return { value: undefined };
  try {
    return { value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return invalidRequest('request body is not valid JSON');
  }
}

export function validate<T extends z.ZodType>(schema: T, value: unknown): { data: z.output<T> } | Refusal {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data };
  // One message: the first problem, named by its field path.
  const [issue] = result.error.issues;
  const field = issue === undefined || issue.path.length === 0 ? 'request' : issue.path.join('.');
  return invalidParameters(`${field}: ${issue?.message ?? 'invalid'}`);
}
