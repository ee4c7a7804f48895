/** Runs a zod schema over a request body and turns a failure into Settle's 400 validation_error. */
import type { z } from 'zod';
import { fromZodError, type Refusal } from './errors';

export function validate<T extends z.ZodType>(schema: T, value: unknown): { data: z.output<T> } | Refusal {
  const result = schema.safeParse(value);
  return result.success ? { data: result.data } : fromZodError(result.error);
}

export function isRefusal(value: object): value is Refusal {
  return 'status' in value && 'body' in value;
}
