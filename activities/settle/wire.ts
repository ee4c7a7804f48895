/** Settle's JSON shapes (settle.md §4), validated at the edge so nothing unchecked reaches a decision. */
import { z } from 'zod';

const money = z.number().int();

/** §4.3: the coarse outcome Settle sends beside `status_code`. */
export const SETTLE_STATUSES = ['pending', 'auth', 'ok', 'fail'] as const;
export type SettleStatus = (typeof SETTLE_STATUSES)[number];

/** §5: the codes Settle documents one by one. */
export const LISTED_STATUS_CODES = {
  1003: 'PENDING', 3008: 'AUTH', 2000: 'OK', 4004: 'NOT_FOUND', 4019: 'ABORTED',
  5006: 'REJECTED', 5011: 'REQUEST_EXPIRED', 5012: 'AUTH_EXPIRED',
} as const;
export type ListedStatusCode = keyof typeof LISTED_STATUS_CODES;

/** §5's rule for the codes it does not list: the thousands digit is the class (1/3 wait, 2 success, 4/5 failure). */
export type StatusCodeClass = 1 | 2 | 3 | 4 | 5;

export function isListedStatusCode(code: number): code is ListedStatusCode {
  return Object.hasOwn(LISTED_STATUS_CODES, code);
}

/** The class of a status code; null when the code falls in none (1000–5999 are the documented ones). */
export function statusCodeClass(code: number): StatusCodeClass | null {
  const thousands = Math.floor(code / 1000);
  return thousands === 1 || thousands === 2 || thousands === 3 || thousands === 4 || thousands === 5 ? thousands : null;
}

/** A code in a documented class; any other number is refused when the answer is read. */
const statusCode = z
  .number()
  .int()
  .refine((code) => statusCodeClass(code) !== null, { error: (issue) => `Settle status_code ${String(issue.input)} is outside every documented class` });

export const settleOutcomeSchema = z.object({
  tid: z.string(),
  pos_id: z.string(),
  pos_tid: z.string(),
  status: z.enum(SETTLE_STATUSES),
  status_code: statusCode,
  amount: money,
  currency: z.string(),
  auth_amount: money.default(0),
  captures: z.array(z.object({ id: z.string().nullable().optional(), amount: money })).default([]),
  refunds: z.array(z.object({ id: z.string().nullable().optional(), amount: money })).default([]),
  date_expires: z.string().nullable().optional(),
});
export type SettleOutcome = z.infer<typeof settleOutcomeSchema>;

/** Create answers `{"id": tid}`; one documented variant says `{"tid": ...}`: accept both. */
export const createdSchema = z
  .object({ id: z.string().optional(), tid: z.string().optional() })
  .transform((body, ctx) => {
    const tid = body.id ?? body.tid;
    if (!tid) ctx.addIssue({ code: 'custom', message: 'create answer has neither id nor tid' });
    return tid ?? '';
  });

export const errorSchema = z.object({
  error_type: z.string().optional(),
  error_description: z.string().optional(),
});

export const callbackSchema = z.object({
  meta: z.object({ id: z.string(), event: z.string() }),
  object: z.record(z.string(), z.unknown()).nullable().optional(),
});

export const scanObjectSchema = z.object({ id: z.string().startsWith('token:'), argstring: z.string() });
