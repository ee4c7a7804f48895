/**
 * Request bodies the sandbox accepts, as zod schemas (settle.md §4 for the merchant API, the
 * brief's control API for /_sandbox). Validation failures become Settle's 400 validation_error.
 */
import { z } from 'zod';
import { faultSpecSchema, TRANSPORT_FAULT_KINDS, type TransportFaultKind } from '../shared/faults';

/** pos_id, pos_tid, capture_id and refund_id share this rule (settle.md §1). */
const localId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-zA-Z0-9_.-]+$/, 'Must match ^[a-zA-Z0-9_.-]+$');

const money = z.int().min(0);
const seconds = z.int().min(0).max(2_592_000);
const httpUri = z.url({ protocol: /^https?$/ });

/**
 * Optional fields come out as null when absent so that two bodies meaning the same thing
 * (field omitted versus sent as null) produce the same fingerprint on a repeated create.
 */
function optional<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? null);
}

export const createPaymentRequestSchema = z.object({
  action: z.enum(['SALE', 'AUTH', 'sale', 'auth']).transform((value) => value.toUpperCase() as 'SALE' | 'AUTH'),
  amount: z.int().positive('Value must be larger than 0'),
  additional_amount: money.default(0),
  additional_edit: z.boolean().default(false),
  allow_credit: z.boolean(),
  currency: z.string().length(3),
  // Required here: the checkout-portal flow without a customer is not part of the sandbox.
  customer: z.string().min(1).max(100),
  pos_id: localId,
  pos_tid: localId,
  callback_uri: optional(httpUri),
  display_message_uri: optional(httpUri),
  expires_in: seconds.default(21_600),
  max_scan_age: seconds.default(60),
  text: optional(z.string()),
  line_items: optional(z.array(z.looseObject({}))),
  links: optional(z.array(z.looseObject({}))),
  success_return_uri: optional(httpUri),
  failure_return_uri: optional(httpUri),
  cid: optional(z.string()),
  required_scope: optional(z.string()),
  required_scope_text: optional(z.string().max(150)),
});
export type CreatePaymentRequest = z.infer<typeof createPaymentRequestSchema>;

const PAYMENT_ACTIONS = ['capture', 'reauth', 'abort', 'release', 'refund'] as const;
export type PaymentAction = (typeof PAYMENT_ACTIONS)[number];

/** Settle's docs send upper case, its OpenAPI enum is lower case; accept both (settle.md §3). */
const paymentAction = z
  .string()
  .transform((value) => value.toLowerCase())
  .pipe(z.enum(PAYMENT_ACTIONS));

export const updatePaymentRequestSchema = z
  .object({
    action: paymentAction.optional(),
    amount: money.optional(),
    additional_amount: money.optional(),
    currency: z.string().length(3).optional(),
    capture_id: localId.optional(),
    refund_id: localId.optional(),
    text: z.string().nullish(),
    // undefined leaves the registered URI alone; null removes it.
    callback_uri: httpUri.nullish(),
    display_message_uri: httpUri.nullish(),
    line_items: z.array(z.looseObject({})).nullish(),
  })
  .superRefine((body, ctx) => {
    const requireField = (field: keyof typeof body, why: string) => {
      if (body[field] === undefined) ctx.addIssue({ code: 'custom', path: [field], message: `This field is required ${why}` });
    };
    if (body.action === undefined && body.callback_uri === undefined && body.display_message_uri === undefined && body.line_items === undefined) {
      ctx.addIssue({ code: 'custom', path: ['action'], message: 'This field is required' });
    }
    // settle.md §4.2: an amount makes the partial variant, which needs every other part too.
    const idField = body.action === 'capture' ? 'capture_id' : body.action === 'refund' ? 'refund_id' : null;
    if (idField === null) return;
    if (body.amount !== undefined) {
      requireField('additional_amount', 'when amount is given');
      requireField('currency', 'when amount is given');
      requireField(idField, 'when amount is given');
    } else if (body[idField] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [idField], message: `Must be absent for a full ${body.action}; give amount for a partial one` });
    }
  })
  .transform(({ amount, additional_amount, currency, capture_id, refund_id, ...rest }) => {
    // Gather the four parts of a partial capture/refund into one value, present only when complete.
    const id = rest.action === 'capture' ? capture_id : refund_id;
    const partial =
      amount !== undefined && additional_amount !== undefined && currency !== undefined && id !== undefined
        ? { id, amount, additionalAmount: additional_amount, currency }
        : null;
    return { ...rest, partial };
  });
export type UpdatePaymentRequest = z.infer<typeof updatePaymentRequestSchema>;

export const createShortlinkSchema = z.object({
  callback_uri: optional(httpUri),
});

export const scanSchema = z.object({ argstring: z.string().default('') });

/** A person playing the customer may tip when the merchant allowed it (additional_edit). */
export const approveSchema = z.object({ additional_amount: money.optional() });

/** Settle's sandbox injects only the transport faults every sandbox shares. */
export type FaultKind = TransportFaultKind;

export const faultSchema = faultSpecSchema(TRANSPORT_FAULT_KINDS, ['GET', 'POST', 'PUT']);

