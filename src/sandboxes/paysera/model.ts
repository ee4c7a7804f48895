/**
 * The sandbox's in-memory picture of spots, orders, transactions and payments. Field names follow
 * our conventions and money is in cents; views.ts turns records into Paysera's wire shapes.
 */
import type { PaymentStatus, SpotStatus, TransactionStatus } from './statuses';

export interface SpotRecord {
  id: number;
  /** Lower case: lookups by code ignore case (see SpotService.byCode). */
  identifier: string;
  /** Configured from the start (knownSpots) rather than auto-registered by a lookup. */
  preRegistered: boolean;
  status: SpotStatus;
  /** Customers checked in now; each customer is in at most one spot. */
  checkedIn: Set<string>;
  /** Orders of the current session, oldest first; a close starts a new session. */
  orderIds: number[];
}

export interface OrderRecord {
  id: number;
  spotId: number;
  transactionKey: string;
  createdAt: Date;
  /** Closed by the merchant (delete) or with its spot; otherwise the order follows its transaction. */
  closed: boolean;
}

/** Who asked for what and how the sandbox answered; tests assert on this ("exactly one confirm"). */
export interface ActionLogEntry {
  action: string;
  /** `timer`: the reservation lapsed. */
  source: 'merchant' | 'customer' | 'timer';
  at: string;
  /** HTTP status the sandbox answered; null for what no request asked for. */
  status: number | null;
  params?: Record<string, unknown>;
}

export interface TransactionRecord {
  key: string;
  createdAt: Date;
  status: TransactionStatus;
  /** Null: callbacks disabled (`callback_uri: false`) or none given (the sandbox has no project default). */
  callbackUri: string | null;
  /** Whether the request sent `callback_uri: false`, echoed back as such. */
  callbacksDisabled: boolean;
  redirectUri: string | null;
  autoConfirm: boolean | null;
  /** Hours (the PHP library's unit). */
  reserveFor: number | null;
  /** UNIX seconds. */
  reserveUntil: number | null;
  paymentIds: number[];
  /** The payer's wallet, once someone reserved. */
  wallet: number | null;
  confirmedAt: Date | null;
  actions: ActionLogEntry[];
  /** GET /transaction/{key} calls: lets a test or a person see the polling cadence. */
  reads: number;
}

export interface PaymentRecord {
  id: number;
  transactionKey: string;
  createdAt: Date;
  status: PaymentStatus;
  /** Cents; lowered by a partial confirm. */
  price: number;
  currency: string;
  description: string | null;
  confirmedAt: Date | null;
}

export function logAction(transaction: TransactionRecord, action: string, source: ActionLogEntry['source'], status: number | null, params?: Record<string, unknown>): void {
  const entry: ActionLogEntry = { action, source, at: new Date().toISOString(), status };
  if (params !== undefined) entry.params = params;
  transaction.actions.push(entry);
}
