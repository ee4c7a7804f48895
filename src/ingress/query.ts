/**
 * Input validation shared by every POS route (the payment and terminal routes, and provider routes
 * such as Paysera's spots): a body or a query string that does not fit its schema is
 * `422 validation_failed` naming the offending fields, never a thrown ZodError (which would be a 500).
 *
 * Query strings are strict everywhere: a parameter a route does not know is refused like a wrong
 * value, so a typo (`?stat=captured`) is an error instead of a silently unfiltered answer. Express's
 * "simple" query parser gives a repeated parameter as an array, which no schema here accepts.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { fieldMessages } from './create-request';
import { problems, type FieldMessage } from './problem';

/** A JSON body against its schema; 422 with field messages on failure. */
export function parseBody<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw problems.validation(fieldMessages(result.error));
  return result.data;
}

/** The messages of a failed query parse: one per parameter, unknown parameters each named. */
export function queryMessages(error: z.ZodError): FieldMessage[] {
  return error.issues.flatMap((issue): FieldMessage[] => {
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: key, message: 'is not a query parameter of this endpoint' }));
    return [{ field: issue.path.join('.') || '(query)', message: issue.message }];
  });
}

/** A query string against its (strict) schema; 422 naming each bad or unknown parameter. */
export function parseQuery<T extends z.ZodType>(schema: T, query: unknown): z.infer<T> {
  const result = schema.safeParse(query ?? {});
  if (!result.success) throw problems.validation(queryMessages(result.error), 'The request has invalid query parameters.');
  return result.data;
}

const NO_PARAMETERS = z.strictObject({});

/** For routes that take no query parameters: any parameter is a 422. */
export const noQuery: RequestHandler = (req, _res, next) => {
  try {
    parseQuery(NO_PARAMETERS, req.query);
    next();
  } catch (error) {
    next(error);
  }
};
