/** Settle's JSON shapes (settle.md §4), validated at the edge so nothing unchecked reaches a decision. */
import { z } from 'zod';

const money = z.number().int();

export const settleOutcomeSchema = z.object({
  tid: z.string(),
  pos_id: z.string(),
  pos_tid: z.string(),
  status: z.string(),
  status_code: z.number().int(),
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
