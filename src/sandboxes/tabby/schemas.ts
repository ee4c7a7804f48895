/**
 * Request bodies and queries the sandbox accepts, as zod schemas (tabby.md §4 for the API, the
 * brief's control API for /_sandbox). Objects are loose: Tabby accepts and echoes fields the POS
 * flow does not use (buyer, items, …), so the sandbox must not refuse them.
 */
import { z } from 'zod';
import { faultSpecSchema, TRANSPORT_FAULT_KINDS } from '../shared/faults';
import { CURRENCIES, toMinorUnits } from './money';

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

const looseRecord = z.looseObject({});
const referenceId = z.string().min(1, 'is required');

const paymentSchema = z
  .looseObject({
    amount: z.string(),
    currency: z.enum(CURRENCIES, { error: (issue) => `currency ${JSON.stringify(issue.input)} is not supported, use AED, SAR or KWD` }),
    description: z.string().nullish(),
    order: z.looseObject({ reference_id: referenceId }),
    // seed 003: a JSON document (terminal location and time) sent as a string.
    attachment: z.looseObject({ body: z.string().refine(isJson, 'must be a JSON document in a string'), content_type: z.string() }).nullish(),
    meta: looseRecord.nullish(),
    // Online checkouts send these; a POS does not. Tabby echoes what it got.
    buyer: looseRecord.nullish(),
    shipping_address: looseRecord.nullish(),
    buyer_history: looseRecord.nullish(),
    order_history: z.array(looseRecord).nullish(),
  })
  .transform((payment, ctx) => {
    const minorAmount = toMinorUnits(payment.amount, payment.currency);
    if (minorAmount === null || minorAmount === 0) {
      const decimals = payment.currency === 'KWD' ? 3 : 2;
      ctx.addIssue({ code: 'custom', path: ['amount'], message: `must be a positive decimal string with up to ${decimals} decimals for ${payment.currency}` });
      return z.NEVER;
    }
    return { ...payment, minorAmount };
  });

/** POST /api/v2/checkout (tabby.md §4.1); merchant_code is checked before this, as part of authentication. */
export const createSessionSchema = z.looseObject({
  payment: paymentSchema,
  merchant_code: z.string(),
  // The OpenAPI marks lang required; the POS page leaves it out, so the sandbox does too.
  lang: z.enum(['en', 'ar']).optional(),
  merchant_urls: looseRecord.nullish(),
});
export type CreateSessionRequest = z.infer<typeof createSessionSchema>;

/** Amounts stay strings here: their decimals are checked against the payment's currency. */
export const captureSchema = z.looseObject({
  amount: z.string(),
  reference_id: referenceId,
  tax_amount: z.string().optional(),
  shipping_amount: z.string().optional(),
  discount_amount: z.string().optional(),
  items: z.array(looseRecord).nullish(),
});
export type CaptureRequest = z.infer<typeof captureSchema>;

export const refundSchema = z.looseObject({
  amount: z.string(),
  reference_id: referenceId,
  reason: z.string().nullish(),
  items: z.array(looseRecord).nullish(),
});
export type RefundRequest = z.infer<typeof refundSchema>;

/** PUT /api/v2/payments/{id}: only order.reference_id changes; anything else is ignored (T1). */
export const updatePaymentSchema = z.looseObject({ order: z.looseObject({ reference_id: referenceId }) });

/**
 * Tabby wants a public https URL (tabby.md §6); the sandbox's receivers are local, so plain http
 * is accepted too.
 */
export const webhookSchema = z.looseObject({
  url: z.url({ protocol: /^https?$/ }),
  header: z.object({ title: z.string().min(1), value: z.string() }).nullish(),
  is_test: z.boolean().optional(),
});
export type WebhookRequest = z.infer<typeof webhookSchema>;

export const REJECTION_REASONS = ['not_available', 'order_amount_too_high', 'order_amount_too_low'] as const;
export type RejectionReason = (typeof REJECTION_REASONS)[number];

/** `reject_next` replaces the count left, so 0 ends a forced rejection. */
export const eligibilitySchema = z.object({
  reject_next: z.int().min(0),
  reason: z.enum(REJECTION_REASONS).default('not_available'),
});

export const approveSchema = z.object({ auto_capture: z.boolean().optional() });


/**
 * status_400/status_401 answer Tabby's error bodies; incomplete_session lets a session be created
 * but leaves its links out of the answer (seed 003 test 2, "incomplete response").
 */
export const FAULT_KINDS = [...TRANSPORT_FAULT_KINDS, 'status_400', 'status_401', 'incomplete_session'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const faultSchema = faultSpecSchema(FAULT_KINDS, ['GET', 'POST', 'PUT', 'DELETE']);
