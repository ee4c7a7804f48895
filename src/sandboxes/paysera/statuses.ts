/**
 * The statuses the sandbox hands out (paysera.md §4.1, §5), as Paysera documents them: the
 * sandbox's own list, so an adapter that misreads one is caught by the sandbox's tests.
 */

/** §5 transaction statuses; `waiting_password` is a documented callback type too. */
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

/** A payment moves with its transaction and may then settle (`done`) or be cancelled (`canceled`). */
export type PaymentStatus = TransactionStatus | 'done' | 'canceled';

/** Orders of a spot (§4.2). */
export type OrderStatus = 'pending' | 'reserved' | 'confirmed' | 'closed';

/** §4.1: the sandbox writes `open`, as the seed example and the Java SDK do. */
export const SPOT_STATES = ['closed', 'waiting', 'open'] as const;
export type SpotStatus = (typeof SPOT_STATES)[number];
