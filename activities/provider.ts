/**
 * The seam between the generic payment activities and one provider's wire protocol. An adapter
 * translates; it never decides lifecycle questions (those live in the workflow).
 */
import type { Router } from 'express';
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

export interface ProviderAdapter {
  prepare(payment: ProviderPaymentContext): Promise<PreparedPayment>;
  engage(payment: ProviderPaymentContext, reference: Reference, token: string): Promise<ProviderObservation>;
  observe(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation>;
  capture(payment: ProviderPaymentContext, reference: Reference, amount: number | null): Promise<ProviderObservation>;
  cancel(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation>;
  renewAuthorization(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation>;
  refund(payment: ProviderPaymentContext, reference: Reference, refund: RefundCommand): Promise<void>;
  /** Only for providers whose traits say `polls_for_customer`: a customer's token, or null while nobody is there. */
  findCustomer?(payment: ProviderPaymentContext, reference: Reference): Promise<string | null>;
  /** Only for providers whose traits say `finishes_at_provider`. */
  finish?(payment: ProviderPaymentContext, reference: Reference): Promise<void>;
  /** Only for providers whose traits say `confirms_capture`. */
  confirmCapture?(payment: ProviderPaymentContext, reference: Reference): Promise<void>;
  pollIntervalMs: number;
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

/** The sweep a module runs, or null when it has none or its configuration turned it off. */
export function activeHousekeeping(module: ProviderModule | undefined): Housekeeping | null {
  const housekeeping = module?.housekeeping;
  return housekeeping && 'sweep' in housekeeping ? housekeeping : null;
}

export interface ProviderModule {
  adapter: ProviderAdapter;
  rules: RequestRules;
  verifyWebhook(webhook: InboundWebhook): WebhookVerdict;
  /** Present when tills need registering; `stickerField` is the API's name for the sticker id (e.g. `seqr_id`). */
  terminals?: { stickerField: string; adapter: TerminalAdapter };
  /**
   * Work that belongs to no payment, run by a long-lived watcher every `intervalMs` (e.g. closing
   * forged spots); or, when the configuration turns it off, why (the worker says so once at start).
   */
  housekeeping?: Housekeeping | HousekeepingOff;
  /** POS routes of the provider's own, mounted at `/v1/<provider>` behind the API keys (e.g. Paysera's spots). */
  routes?: () => Router;
}

/** Finds a till's registration (ids only), or null when it is not registered. */
export type TerminalLookup = (merchantId: string, posId: string) => Promise<{ terminal_id: string; sticker_id: string } | null>;
