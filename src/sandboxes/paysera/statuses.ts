/**
 * The statuses the sandbox hands out (paysera.md §4.1, §5), as Paysera documents them: the
 * sandbox's own list, so an adapter that misreads one is caught by the sandbox's tests.
 */

/** §5: a transaction waits for its payer (nobody accepted yet, funds, registration or a password)… */
type Waiting = 'new' | 'waiting' | `waiting_${'funds' | 'registration' | 'password'}`;
/** …then holds the money for the merchant, and ends paid or not. */
type Ended = 'confirmed' | 'rejected' | 'revoked' | 'failed' | 'deleted';
export type TransactionStatus = Waiting | 'reserved' | Ended;

/** A payment moves with its transaction and may then settle (`done`) or be cancelled (`canceled`). */
export type PaymentStatus = TransactionStatus | 'done' | 'canceled';

/** Orders of a spot (§4.2). */
export type OrderStatus = 'pending' | 'reserved' | 'confirmed' | 'closed';

/** §4.1: the sandbox writes `open`, as the seed example and the Java SDK do. */
export const SPOT_STATES = ['closed', 'waiting', 'open'] as const;
export type SpotStatus = (typeof SPOT_STATES)[number];
