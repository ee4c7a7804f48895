/**
 * The sandbox's in-memory picture of SEQR: terminals registered by resellers, and invoices with
 * their payment, refunds and receipts. Field names follow our conventions and money is in minor
 * units; views.ts and the operations turn records into SEQR's wire shapes.
 */
/** The statuses an IMMEDIATE_DEBIT invoice can reach (seqr.md §5.1); reservations are not modelled. */
export type InvoiceStatus = 'ISSUED' | 'PENDING_ISSUER_ACKNOWLEDGE' | 'PAID' | 'CANCELED' | 'FAILED';

export interface Reseller {
  id: string;
  userId: string;
  password: string;
}

export interface Terminal {
  terminalId: string;
  resellerId: string;
  externalTerminalId: string;
  name: string;
  password: string;
  seqrId: string | null;
  /** False once unregistered: the id then answers 29 like one that never existed. */
  registered: boolean;
  registeredAt: Date;
  /** The terminal's latest invoice: a cash register holds at most one open invoice (seqr.md §3). */
  currentInvoice: string | null;
}

export interface Payment {
  ersReference: string;
  paidAt: Date;
  payerTerminalId: string;
  /** A getPaymentStatus by the terminal after the payment: stops the reversal (seqr.md §7). */
  polledAfterPayment: boolean;
  /** When the reversal fires unless polled first; null once polled (or reversed). */
  reversesAt: Date | null;
}

export interface Refund {
  ersReference: string;
  amount: number;
  at: Date;
  /** The refunding terminal. */
  terminalId: string;
  title: string;
}

export interface SubmittedReceipt {
  at: Date;
  terminalId: string;
  mimeType: string | null;
  receiptType: string | null;
  /** Decoded size of receiptData. */
  bytes: number;
}

/** Who did what to an invoice and what SEQR answered; tests assert on this ("polled, then paid"). */
export interface ActionLogEntry {
  at: string;
  /** A SOAP operation, a customer action, or SEQR acting on its own (`replaced`, `reversed`). */
  action: string;
  source: 'merchant' | 'customer' | 'seqr';
  /** The SOAP answer's resultCode; null for what no SOAP call asked for. */
  result_code: number | null;
  /** getPaymentStatus: the invoiceVersion the terminal sent (its acknowledgement). */
  invoice_version?: number;
  detail?: string;
}

export interface InvoiceRecord {
  reference: string;
  terminalId: string;
  resellerId: string;
  createdAt: Date;
  clientInvoiceId: string;
  currency: string;
  /** Minor units. */
  totalAmount: number;
  notificationUrl: string | null;
  status: InvoiceStatus;
  /** Starts at 1; +1 on every status change (seqr.md §5.1). */
  version: number;
  /** invoiceVersion of every getPaymentStatus, in order (0 first, then the acknowledged versions). */
  acknowledgedVersions: number[];
  polls: number;
  lastPollAt: Date | null;
  payment: Payment | null;
  refunds: Refund[];
  receipts: SubmittedReceipt[];
  actions: ActionLogEntry[];
}

export function refundedAmount(invoice: InvoiceRecord): number {
  return invoice.refunds.reduce((total, refund) => total + refund.amount, 0);
}

/** Open = the customer can still pay it: what a scan of the till's sticker reaches. */
export function isOpen(invoice: InvoiceRecord): boolean {
  return invoice.status === 'ISSUED' || invoice.status === 'PENDING_ISSUER_ACKNOWLEDGE';
}
