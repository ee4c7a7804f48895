/**
 * Request bodies and queries the sandbox accepts, as zod schemas (paysera.md §4 for the API, the
 * control API's own for /_sandbox). Objects are loose: Paysera accepts transaction and payment
 * fields the POS flow does not use (items, beneficiary, allowance, …), so the sandbox must too.
 */
import { z } from 'zod';
import { SPOT_STATES } from './statuses';
import { centsOf } from './money';

const httpUri = z.url({ protocol: /^https?$/ });
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');

/** `price` in cents or `price_decimal`, exactly one of them (§1). */
function money<T extends { price?: number | undefined; price_decimal?: string | undefined }>(value: T, ctx: z.RefinementCtx, positive: boolean): number {
  if ((value.price === undefined) === (value.price_decimal === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['price'], message: 'give exactly one of price (cents) and price_decimal' });
    return 0;
  }
  const cents = value.price ?? centsOf(value.price_decimal ?? '');
  if (cents === null || (positive && cents === 0)) {
    ctx.addIssue({ code: 'custom', path: ['price_decimal'], message: `must be a ${positive ? 'positive ' : ''}decimal with up to two decimals` });
    return 0;
  }
  return cents;
}

const paymentSchema = z
  .looseObject({
    description: z.string().min(1).optional(),
    price: z.int().min(1).optional(),
    price_decimal: z.string().optional(),
    currency,
    items: z.array(z.looseObject({})).optional(),
  })
  .transform((payment, ctx) => {
    const price = money(payment, ctx, true);
    if (payment.description === undefined && payment.items === undefined) {
      ctx.addIssue({ code: 'custom', path: ['description'], message: 'required when there are no items' });
    }
    return { description: payment.description ?? null, price, currency: payment.currency };
  });

/** §4.3, the parts the sandbox acts on. Payment ids (existing payments) are not supported: there is no POST /payment here. */
const transactionSchema = z
  .looseObject({
    payments: z.array(paymentSchema, 'must be an array of payment objects').min(1),
    // false disables callbacks; leaving it out means the project default, which the sandbox has none of.
    callback_uri: z.union([httpUri, z.literal(false)]).optional(),
    redirect_uri: httpUri.optional(),
    /** Hours, per the PHP library. */
    reserve_for: z.int().min(1).optional(),
    /** UNIX seconds. */
    reserve_until: z.int().min(1).optional(),
    auto_confirm: z.boolean().optional(),
  })
  .refine((transaction) => transaction.reserve_for === undefined || transaction.reserve_until === undefined, {
    path: ['reserve_until'],
    message: 'give only one of reserve_for and reserve_until',
  });
export type TransactionInput = z.output<typeof transactionSchema>;

/**
 * POST /spot/{id}/order (§4.2) with an inline transaction. `transaction_key` would bind an existing
 * transaction, which needs POST /transaction — not part of the sandbox — so it is refused.
 */
export const createOrderSchema = z
  .looseObject({ transaction: transactionSchema.optional(), transaction_key: z.string().optional() })
  .transform((body, ctx) => {
    if (body.transaction_key !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['transaction_key'], message: 'the sandbox creates orders with an inline transaction only' });
      return z.NEVER;
    }
    if (body.transaction === undefined) {
      ctx.addIssue({ code: 'custom', path: ['transaction'], message: 'required' });
      return z.NEVER;
    }
    return body.transaction;
  });

const lowerPriceSchema = z
  .looseObject({ price: z.int().min(0).optional(), price_decimal: z.string().optional(), currency })
  .transform((value, ctx) => ({ price: money(value, ctx, false), currency: value.currency }));

/**
 * PUT /transaction/{key}/confirm (§4.5): lower prices keyed by payment id. No body, `{}` and `[]`
 * (what PHP's json_encode makes of an empty array) all mean "confirm the full amounts".
 */
export const confirmSchema = z
  .preprocess((body) => (Array.isArray(body) && body.length === 0 ? {} : body), z.record(z.string().regex(/^\d+$/, 'keys must be payment ids'), lowerPriceSchema))
  .transform((body) => new Map(Object.entries(body).map(([id, lower]) => [Number(id), lower])));

const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.int().min(min).max(max));

/** Paysera documents neither a default nor a maximum page size; these are the sandbox's. */
const DEFAULT_SPOT_LIMIT = 20;

export const spotsQuerySchema = z.looseObject({
  status: z.enum(SPOT_STATES).optional(),
  limit: queryInt(1, 200).default(DEFAULT_SPOT_LIMIT),
  offset: queryInt(0, Number.MAX_SAFE_INTEGER).default(0),
});

export const spotCodeQuerySchema = z.looseObject({ code: z.string().min(1, 'required') });

/** The customer in control calls; one name is enough unless a test plays several. */
export const customerSchema = z.object({ customer: z.string().min(1).default('customer') });

export const scanSchema = z.object({ code: z.string().min(1) });

/** The payer's wallet id shown on the transaction once reserved. */
export const reserveSchema = z.object({ wallet: z.int().min(1).default(1_000_001) });

