/**
 * The sandbox's in-memory picture of a checkout session and its payment (one each: Tabby creates
 * both in one call). Field names follow our conventions and money is in minor units; views.ts
 * turns a record into Tabby's wire shapes.
 */
import type { Currency } from './money';
import type { CreateSessionRequest, RejectionReason } from './schemas';

/** Payment statuses (tabby.md §5); webhooks send them in lower case. */
export type PaymentStatus = 'CREATED' | 'AUTHORIZED' | 'CLOSED' | 'REJECTED' | 'EXPIRED';

export interface Capture {
  id: string;
  createdAt: Date;
  referenceId: string;
  amount: number;
  taxAmount: number;
  shippingAmount: number;
  discountAmount: number;
  items: Record<string, unknown>[] | null;
}

export interface Refund {
  id: string;
  createdAt: Date;
  referenceId: string;
  amount: number;
  reason: string | null;
  items: Record<string, unknown>[] | null;
}

/** Calls a merchant makes on an existing payment (or its session). */
export type MerchantAction = 'capture' | 'refund' | 'close' | 'cancel' | 'update';

/** Who asked for what and how the sandbox answered; tests assert on this ("exactly one capture"). */
export interface ActionLogEntry {
  action: MerchantAction | 'approve' | 'reject' | 'expire';
  /** `tabby` is the merchant setting acting on its own (auto-capture), `timer` the session expiry. */
  source: 'merchant' | 'customer' | 'tabby' | 'timer';
  at: string;
  /** HTTP status the sandbox answered; null for what no request asked for. */
  status: number | null;
  reference_id?: string;
}

export interface PaymentRecord {
  id: string;
  sessionId: string;
  merchantCode: string;
  createdAt: Date;
  expiresAt: Date;
  closedAt: Date | null;
  status: PaymentStatus;
  currency: Currency;
  amount: number;
  /** The validated create body: echoed back (description, order, meta, attachment, buyer, …). */
  request: CreateSessionRequest;
  /** order.reference_id as last updated by PUT /api/v2/payments/{id}. */
  referenceId: string;
  /** Null when the session was eligible, else why it was not (then there are no links). */
  rejectionReason: RejectionReason | null;
  /** The secret query parameter of the qr_code link. */
  qrToken: string;
  captures: Capture[];
  refunds: Refund[];
  actions: ActionLogEntry[];
  /** GET /api/v2/payments/{id} calls: lets a test or a person see the polling cadence. */
  reads: number;
}

export function sumOf(entries: readonly { amount: number }[]): number {
  return entries.reduce((total, entry) => total + entry.amount, 0);
}
