/**
 * Paysera Wallet API JSON shapes (paysera.md §4, §6, §8), validated at the edge. Statuses are
 * parsed into the closed sets §4–§5 document, so an undocumented one fails here, as an unreadable
 * answer, instead of reaching a mapping. Money comes as integer cents (`price`) with
 * `price_decimal` beside it; timestamps are UNIX seconds.
 */
import { z } from 'zod';

/** §5. `waiting_password` is a callback type the PHP library's constants lack. */
export const TRANSACTION_STATUSES = [
  'new',
  'waiting',
  'waiting_funds',
  'waiting_registration',
  'waiting_password',
  'reserved',
  'confirmed',
  'rejected',
  'revoked',
  'failed',
  'deleted',
] as const;
export type TransactionStatus = (typeof TRANSACTION_STATUSES)[number];

/** A payment follows its transaction, then may settle (`done`) or be cancelled after confirmation (`canceled`). */
export const PAYMENT_STATUSES = [...TRANSACTION_STATUSES, 'done', 'canceled'] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const ORDER_STATUSES = ['pending', 'reserved', 'confirmed', 'closed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const SPOT_STATUSES = ['closed', 'waiting', 'open'] as const;
export type SpotStatus = (typeof SPOT_STATUSES)[number];

/** Seed 002's text says `opened`, its example and the Java SDK `open` (§4.1 conflict): both read as `open`. */
const spotStatus = z
  .enum([...SPOT_STATUSES, 'opened'])
  .transform((status): SpotStatus => (status === 'opened' ? 'open' : status));

const timestamp = z.int();

export const paymentSchema = z.object({
  id: z.int(),
  transaction_key: z.string(),
  created_at: timestamp,
  status: z.enum(PAYMENT_STATUSES),
  price: z.int(),
  price_decimal: z.string(),
  currency: z.string(),
  description: z.string().optional(),
  wallet: z.int().optional(),
  confirmed_at: timestamp.optional(),
  freeze_until: timestamp.optional(),
});
export type Payment = z.infer<typeof paymentSchema>;

export const transactionSchema = z.object({
  transaction_key: z.string(),
  created_at: timestamp,
  status: z.enum(TRANSACTION_STATUSES),
  type: z.string().optional(),
  // §4.4 says "wallet id or null"; §1 says optional fields are omitted: accept both.
  wallet: z.int().nullish(),
  project_id: z.int().optional(),
  payments: z.array(paymentSchema).default([]),
  confirmed_at: timestamp.optional(),
  auto_confirm: z.boolean().optional(),
  callback_uri: z.union([z.string(), z.literal(false)]).optional(),
  redirect_uri: z.string().optional(),
  reserve: z.object({ until: timestamp.optional(), for: z.int().optional() }).optional(),
});
export type Transaction = z.infer<typeof transactionSchema>;

export const orderSchema = z.object({
  id: z.int(),
  transaction_key: z.string(),
  status: z.enum(ORDER_STATUSES),
});
export type Order = z.infer<typeof orderSchema>;

export const spotSchema = z.object({
  id: z.int(),
  status: spotStatus,
  /** Only for the owning (merchant) client. */
  identifier: z.string().optional(),
  place_info: z
    .object({
      title: z.string(),
      description: z.string().optional(),
      address: z.string().optional(),
      logo_uri: z.string().optional(),
      location_id: z.int().optional(),
    })
    .optional(),
  /** Orders of the spot's current session; absent when there are none. */
  orders: z.array(orderSchema).default([]),
});
export type Spot = z.infer<typeof spotSchema>;

export const spotListSchema = z.object({
  spots: z.array(spotSchema),
  _metadata: z.object({ total: z.int(), offset: z.int(), limit: z.int() }),
});
export type SpotList = z.infer<typeof spotListSchema>;

/** §8. */
export const errorSchema = z.object({
  error: z.string(),
  error_description: z.string().optional(),
});

/**
 * The parsed `event` field of a callback, read only after its signature checked out. `data` is a
 * Transaction when `object` is `transaction`; other objects are to be ignored (§6).
 */
export const callbackEventSchema = z.object({
  type: z.string(),
  object: z.string(),
  data: z.unknown(),
});
export type CallbackEvent = z.infer<typeof callbackEventSchema>;
