/**
 * The payment as the outside world sees it (shared/spec/pos-api.md, "The payment resource"), plus
 * the workflow's input. Pure types and constants: imported by the workflow, the activities and the
 * ingress alike, so the wire shape is defined exactly once.
 */

export const PAYMENT_STATES = [
  'pending',
  'awaiting_customer',
  'authorized',
  'captured',
  'partially_refunded',
  'refunded',
  'cancelled',
  'rejected',
  'expired',
  'failed',
] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** States after which no customer or provider event changes the payment (refunds aside). */
export const FINAL_STATES: readonly PaymentState[] = ['cancelled', 'rejected', 'expired', 'failed'];
/** States in which money has been taken; refunds are possible while the refund window lasts. */
export const PAID_STATES: readonly PaymentState[] = ['captured', 'partially_refunded', 'refunded'];
export const REFUNDABLE_STATES: readonly PaymentState[] = ['captured', 'partially_refunded'];
export const CANCELLABLE_STATES: readonly PaymentState[] = ['pending', 'awaiting_customer', 'authorized'];

export type CaptureMode = 'auto' | 'manual';

export interface LineItem {
  description: string;
  quantity: number;
  amount: number;
}

/** A validated `POST /v1/payments` body. Its canonical JSON is the idempotency fingerprint. */
export interface CreatePaymentRequest {
  /** A configured provider's name, checked by the ingress against its plugin list. */
  provider: string;
  pos_id: string;
  pos_tid: string;
  amount: number;
  currency: string;
  capture_mode: CaptureMode;
  timeout_seconds: number;
  description: string | null;
  line_items: LineItem[] | null;
  provider_options: Record<string, string>;
}

export interface PaymentInput {
  payment_id: string;
  merchant_id: string;
  request: CreatePaymentRequest;
}

export interface Refund {
  refund_id: string;
  amount: number;
  state: 'pending' | 'succeeded' | 'failed';
  reason: string | null;
  created_at: string;
  failure: Failure | null;
}

export interface Failure {
  code: string;
  message: string;
}

export interface TimelineEntry {
  state: PaymentState;
  at: string;
  detail: string | null;
}

export type PaymentResource = Pick<CreatePaymentRequest, 'provider' | 'pos_id' | 'pos_tid' | 'amount' | 'currency' | 'capture_mode' | 'description'> & {
  id: string;
  merchant_id: string;
  state: PaymentState;
  version: number;
  qr: { content: string; image_url: string } | null;
  action_required: 'retry_or_cancel' | null;
  authorized_amount: number;
  captured_amount: number;
  refunded_amount: number;
  refunds: Refund[];
  provider_reference: Record<string, string>;
  failure: Failure | null;
  created_at: string;
  updated_at: string;
  expires_at: string;
  timeline: TimelineEntry[];
};

/** Answer of the create update: the payment, and whether this call created it. */
export interface OpenResult {
  created: boolean;
  payment: PaymentResource;
}

export interface RefundResult {
  refund: Refund;
  payment: PaymentResource;
}

/** Stable machine words of problem+json `code` that workflow failures carry as their `type`. */
export const ERROR_CODES = {
  invalidState: 'invalid_state',
  idempotencyConflict: 'idempotency_conflict',
  refundExceedsCaptured: 'refund_exceeds_captured',
  validationFailed: 'validation_failed',
  partialRefundUnsupported: 'partial_refund_unsupported',
} as const;
