/**
 * The seam between the generic payment activities and one provider's wire protocol. An adapter
 * translates; it never decides lifecycle questions (those live in the workflow).
 */
import type { CreatePaymentRequest } from '../workflows/payment';
import type {
  PreparedPayment,
  ProviderObservation,
  ProviderPaymentContext,
  ProviderSignal,
  RefundCommand,
} from '../workflows/provider-contract';
import type { ProviderOptionsSchema } from './provider-options';

export type Reference = Record<string, string>;

/** A reference an earlier step recorded (a tid, an invoice); its absence is a bug, not a provider answer. */
export function referenceValue(reference: Reference, key: string, provider: string): string {
  const value = reference[key];
  if (!value) throw new Error(`no ${provider} ${key} recorded for this payment`);
  return value;
}

/** What `prepare` answers; the activity adds the provider's traits (provider-traits.ts), so no adapter states them. */
export type AdapterPrepared = DistributiveOmit<PreparedPayment, 'traits'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * One provider's wire protocol as the payment activities need it. The optional members are
 * capabilities: an adapter has one exactly when the provider can do it, and the workflow learns which
 * from the traits derived from their presence (provider-traits.ts). A missing one is never a stub.
 */
export interface ProviderAdapter {
  /** How often to poll while a customer is at the till. */
  pollIntervalMs: number;
  prepare(payment: ProviderPaymentContext): Promise<AdapterPrepared>;
  observe(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation>;
  cancel(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation>;
  refund(payment: ProviderPaymentContext, reference: Reference, refund: RefundCommand): Promise<void>;
  /** Creates the charge for a customer a webhook identified by `token` (Settle's scan token). */
  engage?(payment: ProviderPaymentContext, reference: Reference, token: string): Promise<ProviderObservation>;
  /** Takes authorized money (manual capture, or auto capture after an authorization). */
  capture?(payment: ProviderPaymentContext, reference: Reference, amount: number | null): Promise<ProviderObservation>;
  /** Extends an authorization; `renewBeforeMs` says how long before it lapses. */
  renewAuthorization?(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation>;
  /** With `renewAuthorization`: renew this long before the authorization lapses. */
  renewBeforeMs?: number;
  /** A customer's token, or null while nobody is there: the customer is found by polling (traits: `polls_for_customer`). */
  findCustomer?(payment: ProviderPaymentContext, reference: Reference): Promise<string | null>;
  /** Told when the payment is over, whatever the outcome (traits: `finishes_at_provider`). */
  finish?(payment: ProviderPaymentContext, reference: Reference): Promise<void>;
  /** Told that we saw the payment completed, a receipt (traits: `confirms_capture`). */
  confirmCapture?(payment: ProviderPaymentContext, reference: Reference): Promise<void>;
  /** The customer works in windows this long, each ending in retry-or-cancel (traits: `customer_window_ms`). */
  customerWindowMs?: number;
  /** True when a refund can only return everything (traits: `refunds_partially` false). */
  refundsWholeOnly?: boolean;
}

export interface FieldError {
  field: string;
  message: string;
}

/** Provider rules the ingress applies to a create request before anything starts. */
export interface RequestRules {
  currencies: readonly string[];
  defaultTimeoutSeconds: number;
  minTimeoutSeconds: number;
  maxTimeoutSeconds: number;
  /** Parses the provider's own `provider_options` from JSON into the strings the workflow keeps. */
  options: ProviderOptionsSchema;
  /** Extra checks on the rest of the (already parsed) request; empty when acceptable. */
  check?(request: CreatePaymentRequest): FieldError[];
}

export interface InboundWebhook {
  /** The URL the provider called, as it was registered with them (public base + path + query). */
  url: string;
  rawBody: Buffer;
  headers: Record<string, string | string[] | undefined>;
}

export type WebhookVerdict =
  | { kind: 'unauthorized'; reason: string }
  | { kind: 'ignored'; reason: string }
  | { kind: 'signal'; paymentId: string; signal: ProviderSignal }
  /** A wake that proves nothing (no proof of origin exists): the ingress rate-limits it per payment. */
  | { kind: 'hint'; paymentId: string; signal: ProviderSignal };

/** For providers whose tills must be registered once (SEQR). Credentials stay inside the adapter. */
export interface TerminalAdapter {
  register(merchantId: string, posId: string, name: string): Promise<{ terminal_id: string }>;
  assignSticker(merchantId: string, posId: string, terminalId: string, stickerId: string): Promise<void>;
  unregister(merchantId: string, posId: string, terminalId: string): Promise<void>;
}

export interface Housekeeping {
  intervalMs: number;
  sweep(): Promise<string>;
}

export interface HousekeepingOff {
  off: string;
}

/** Finds a till's registration (ids only), or null when it is not registered. */
export type TerminalLookup = (merchantId: string, posId: string) => Promise<{ terminal_id: string; sticker_id: string } | null>;
