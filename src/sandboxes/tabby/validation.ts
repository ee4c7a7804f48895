/** Runs a zod schema over a request body or query and turns a failure into Tabby's 400 bad_data. */
import type { z } from 'zod';
import { badData, type Refusal } from './errors';

export function validate<T extends z.ZodType>(schema: T, value: unknown): { data: z.output<T> } | Refusal {
  const result = schema.safeParse(value);
  if (result.success) return { data: result.data };
  // One message, as Tabby gives: the first problem, named by its field path.
  const [issue] = result.error.issues;
  const field = issue === undefined || issue.path.length === 0 ? 'request' : issue.path.join('.');
  return badData(`${field}: ${issue?.message ?? 'invalid'}`);
}
