/**
 * The merchant API reads bodies as raw bytes: the RSA check hashes exactly what arrived, so JSON
 * is parsed only afterwards, here.
 */
import type { Request } from 'express';
import { refusal, type Refusal } from './errors';

export function rawBodyOf(req: Request): Buffer {
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

export function jsonBodyOf(req: Request): { value: unknown } | Refusal {
  const raw = rawBodyOf(req);
  if (raw.length === 0) return refusal(400, 'bad_request', 'The request body can not be empty');
  try {
    return { value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch {
    return refusal(400, 'bad_request', 'The request body is not valid JSON');
  }
}
