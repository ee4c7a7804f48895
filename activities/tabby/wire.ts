/**
 * Tabby's JSON shapes (tabby.md §4, §6), validated at the edge. Amounts stay decimal strings here.
 * Payment and session statuses are parsed into the sets §4.2 and §5 document: an undocumented one
 * fails here, as an unreadable answer, and never reaches a mapping.
 */
import { z } from 'zod';

/** §5: payment statuses, upper case in the API (webhooks send them lower case; both read the same). */
export const PAYMENT_STATUSES = ['CREATED', 'AUTHORIZED', 'CLOSED', 'REJECTED', 'EXPIRED'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

const paymentStatus = z
  .string()
  .transform((status) => status.toUpperCase())
  .pipe(z.enum(PAYMENT_STATUSES));

/** §4.2: `expired` and `approved` belong to special integrations; they are read so the adapter can refuse them. */
export const SESSION_STATUSES = ['created', 'rejected', 'expired', 'approved'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

const movement = z.object({ id: z.string(), amount: z.string(), reference_id: z.string().nullish() });

export const tabbyPaymentSchema = z.object({
  id: z.string(),
  status: paymentStatus,
  amount: z.string(),
  currency: z.string(),
  expires_at: z.string().nullish(),
  order: z.object({ reference_id: z.string() }).partial().nullish(),
  captures: z.array(movement).nullish().transform((items) => items ?? []),
  refunds: z.array(movement).nullish().transform((items) => items ?? []),
});
export type TabbyPayment = z.infer<typeof tabbyPaymentSchema>;

const links = z.object({ qr_code: z.string().nullish(), web_url: z.string().nullish() });

export const tabbySessionSchema = z.object({
  id: z.string(),
  status: z.enum(SESSION_STATUSES),
  payment: tabbyPaymentSchema,
  configuration: z
    .object({
      available_products: z.object({ installments: z.array(links).nullish() }).partial().nullish(),
      products: z.object({ installments: z.object({ rejection_reason: z.string().nullish() }).partial().nullish() }).partial().nullish(),
    })
    .partial()
    .nullish(),
});
export type TabbySession = z.infer<typeof tabbySessionSchema>;

export const tabbyErrorSchema = z.object({ errorType: z.string().optional(), error: z.string().optional() });

/** Webhook body: only what routes it; the payment is always re-read before anyone acts. */
export const tabbyWebhookSchema = z.object({
  id: z.string(),
  status: z.string(),
  order: z.object({ reference_id: z.string() }),
});
