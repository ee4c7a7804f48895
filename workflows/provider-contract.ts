/**
 * What the payment workflow knows about a provider: capabilities and observations, never a name.
 * Each provider's adapter (activities/<provider>/) implements `PaymentActivities` behind one
 * dispatching set of activities, so adding a provider changes nothing in this folder.
 */
import type { CreatePaymentRequest, Failure } from './payment';

/** Everything an adapter may need to act on a payment. Ids and amounts only, never credentials. */
export interface ProviderPaymentContext {
  payment_id: string;
  merchant_id: string;
  provider: string;
  request: CreatePaymentRequest;
}

/** The provider's side of the payment, mapped to our vocabulary by the adapter's status mapping. */
export type ProviderStatus = 'pending' | 'authorized' | 'captured' | 'cancelled' | 'rejected' | 'expired' | 'failed';

export interface ProviderObservation {
  status: ProviderStatus;
  authorized_amount: number;
  captured_amount: number;
  refunded_amount: number;
  /** When the current authorization lapses unless renewed (ISO-8601), if the provider says. */
  authorization_expires_at: string | null;
  /** Public references to show in `provider_reference` (tid, payment id, invoice reference, transaction key). */
  reference: Record<string, string>;
  /**
   * What the adapter keeps for its own later calls (invoice versions, order and payment ids): handed
   * back with every call, never shown. Histories recorded before 0.4.0 have none: their `reference`
   * held both, and the adapter finds the same keys there.
   */
  private_reference?: Record<string, string>;
  failure: Failure | null;
  /** A short human line for the timeline, e.g. "3008 AUTH". */
  detail: string;
}

/** Provider capabilities and cadences the workflow adapts to. Configured per worker, recorded in history. */
export interface ProviderTraits {
  /** How often to poll while a customer is at the till. */
  poll_interval_ms: number;
  /** How long the poll may go without a heartbeat before Temporal retries it elsewhere. */
  poll_heartbeat_timeout_ms: number;
  /** Renew an authorization this long before it lapses; null when the provider cannot renew. */
  renew_authorization_before_ms: number | null;
  /** How long the payment stays open after capture to accept refunds. */
  refund_window_ms: number;
  /**
   * Providers that work in windows (SEQR: 30 s): after each window without payment the payment asks
   * the cashier to retry or cancel (`action_required`). Null when the customer simply has until the timeout.
   */
  customer_window_ms: number | null;
  /** The provider expects us to confirm a payment we saw completed (SEQR `submitPaymentReceipt`). */
  confirms_capture: boolean;
  /**
   * The customer's arrival is found by polling the provider (Paysera: someone checked in at the
   * spot) rather than announced by a webhook carrying a token.
   */
  polls_for_customer: boolean;
  /** False when the provider can only refund everything at once (Paysera cancels the payment). */
  refunds_partially: boolean;
  /** The provider wants to hear when the payment is over, whatever the outcome (Paysera: close the spot). */
  finishes_at_provider: boolean;
}

/**
 * The outcome of setting a payment up: either something to show the customer, or the provider
 * declined before there was anything to show (e.g. an eligibility check said no).
 */
export type PreparedPayment =
  | {
      kind: 'ready';
      qr_content: string;
      traits: ProviderTraits;
      reference: Record<string, string>;
      private_reference?: Record<string, string>;
      /** Present when the provider charge already exists (no customer token needed). */
      observation: ProviderObservation | null;
    }
  | { kind: 'declined'; observation: ProviderObservation };

/** What a verified webhook tells a payment: always just a reason to look again. */
export type ProviderSignal =
  | { kind: 'wake'; event: string }
  | { kind: 'customer_token'; event: string; token: string };

export interface RefundCommand {
  refund_id: string;
  amount: number;
}

/** The activities the payment workflow schedules; provider dispatch happens inside them. */
export interface PaymentActivities {
  /** Builds what the customer is shown, and creates the provider charge when that needs no customer. */
  preparePayment(payment: ProviderPaymentContext): Promise<PreparedPayment>;
  /** Creates the provider charge for a customer who identified themselves with `token`. Idempotent. */
  engageCustomer(payment: ProviderPaymentContext, reference: Record<string, string>, token: string): Promise<ProviderObservation>;
  /** Polls (heartbeating) until a customer shows up, and returns the token that identifies them. */
  awaitCustomer(payment: ProviderPaymentContext, reference: Record<string, string>): Promise<string>;
  /** Tells the provider the payment is over (e.g. closes the spot); only for providers that ask. */
  finishAtProvider(payment: ProviderPaymentContext, reference: Record<string, string>): Promise<void>;
  /** Reads the provider's current view once. */
  observePayment(payment: ProviderPaymentContext, reference: Record<string, string>): Promise<ProviderObservation>;
  /** Polls (heartbeating) until the provider's status differs from `since`, then returns the new view. */
  awaitProviderChange(payment: ProviderPaymentContext, reference: Record<string, string>, since: ProviderStatus): Promise<ProviderObservation>;
  /** Captures `amount` (or everything authorized when null); idempotent per payment. */
  capturePayment(payment: ProviderPaymentContext, reference: Record<string, string>, amount: number | null): Promise<ProviderObservation>;
  /** Aborts a pending charge or releases an authorization, and returns the provider's truth afterwards. */
  cancelAtProvider(payment: ProviderPaymentContext, reference: Record<string, string>): Promise<ProviderObservation>;
  /** Extends an authorization before it lapses. */
  renewAuthorization(payment: ProviderPaymentContext, reference: Record<string, string>): Promise<ProviderObservation>;
  /** Tells the provider we saw the payment completed (a receipt); only for providers that ask for it. */
  confirmCapture(payment: ProviderPaymentContext, reference: Record<string, string>): Promise<void>;
  /**
   * Refunds once per `refund_id`, however often it is retried; resolves once the provider took the
   * refund. Nothing is read back: a failed read after a refund that went through must never make
   * Temporal send the refund again.
   */
  refundPayment(payment: ProviderPaymentContext, reference: Record<string, string>, refund: RefundCommand): Promise<void>;
}

/**
 * Local activities: they run in the worker process that runs the workflow task. `nudgePoll` cuts
 * short the current sleep of the payment's poll when that poll runs in the same process (answers
 * false otherwise; the poll then sees the change at its next tick).
 */
export interface LocalPaymentActivities {
  nudgePoll(paymentId: string): Promise<boolean>;
}
