/**
 * Tabby's wire shapes of a session and its payment: the payment object (tabby.md §4.3), the
 * session (§4.2) and the webhook payload (§6). Money goes out as decimal strings in the payment's
 * currency, timestamps as ISO-8601 UTC without milliseconds, as in Tabby's examples.
 */
import type { Capture, PaymentRecord, PaymentStatus, Refund } from './model';
import { toMajorUnits } from './money';

export function tabbyTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Session statuses (§4.2): created/rejected at creation; approved/expired once the checkout ended. */
export function sessionStatus(status: PaymentStatus): 'created' | 'rejected' | 'approved' | 'expired' {
  switch (status) {
    case 'CREATED':
      return 'created';
    case 'REJECTED':
      return 'rejected';
    case 'AUTHORIZED':
    case 'CLOSED':
      return 'approved';
    case 'EXPIRED':
      return 'expired';
  }
}

export interface SessionLinks {
  qr_code: string;
  web_url: string;
}

/** Only eligible sessions have links (§4.2). */
export function sessionLinks(record: PaymentRecord, baseUrl: string): SessionLinks | null {
  if (record.rejectionReason !== null) return null;
  return {
    qr_code: `${baseUrl}/api/v2/checkout/${record.sessionId}/hpp_link_qr?token=${record.qrToken}`,
    web_url: `${baseUrl}/checkout/${record.sessionId}`,
  };
}

function captureView(capture: Capture, record: PaymentRecord) {
  const money = (minor: number) => toMajorUnits(minor, record.currency);
  return {
    id: capture.id,
    created_at: tabbyTime(capture.createdAt),
    amount: money(capture.amount),
    tax_amount: money(capture.taxAmount),
    shipping_amount: money(capture.shippingAmount),
    discount_amount: money(capture.discountAmount),
    items: capture.items ?? [],
    reference_id: capture.referenceId,
  };
}

function refundView(refund: Refund, record: PaymentRecord) {
  return {
    id: refund.id,
    created_at: tabbyTime(refund.createdAt),
    amount: toMajorUnits(refund.amount, record.currency),
    reason: refund.reason,
    items: refund.items ?? [],
    reference_id: refund.referenceId,
  };
}

function orderView(record: PaymentRecord) {
  return { ...record.request.payment.order, reference_id: record.referenceId };
}

/** GET /api/v2/payments/{id} and every answer that returns the payment. */
export function paymentView(record: PaymentRecord) {
  const payment = record.request.payment;
  return {
    id: record.id,
    created_at: tabbyTime(record.createdAt),
    expires_at: tabbyTime(record.expiresAt),
    ...(record.closedAt === null ? {} : { closed_at: tabbyTime(record.closedAt) }),
    status: record.status,
    // The sandbox is Tabby's test environment: everything in it is a test payment.
    is_test: true,
    amount: toMajorUnits(record.amount, record.currency),
    currency: record.currency,
    description: payment.description ?? null,
    buyer: payment.buyer ?? null,
    shipping_address: payment.shipping_address ?? null,
    order: orderView(record),
    captures: record.captures.map((capture) => captureView(capture, record)),
    refunds: record.refunds.map((refund) => refundView(refund, record)),
    buyer_history: payment.buyer_history ?? null,
    order_history: payment.order_history ?? null,
    meta: payment.meta ?? null,
    attachment: payment.attachment ?? null,
  };
}

/** POST and GET /api/v2/checkout[/{id}]; `withLinks: false` is the incomplete_session fault. */
export function sessionView(record: PaymentRecord, baseUrl: string, withLinks = true) {
  const links = withLinks ? sessionLinks(record, baseUrl) : null;
  return {
    id: record.sessionId,
    status: sessionStatus(record.status),
    payment: paymentView(record),
    configuration: {
      available_products: links === null ? {} : { installments: [links] },
      products: {
        installments: { type: 'installments', is_available: record.rejectionReason === null, rejection_reason: record.rejectionReason },
      },
    },
    token: null,
    merchant_urls: record.request.merchant_urls ?? null,
  };
}

/** The webhook body (§6): the payment as it is at the event, status in lower case. */
export function webhookPayload(record: PaymentRecord) {
  return {
    id: record.id,
    created_at: tabbyTime(record.createdAt),
    expires_at: tabbyTime(record.expiresAt),
    closed_at: record.closedAt === null ? null : tabbyTime(record.closedAt),
    status: record.status.toLowerCase(),
    is_test: true,
    is_expired: record.status === 'EXPIRED',
    amount: toMajorUnits(record.amount, record.currency),
    currency: record.currency,
    order: { reference_id: record.referenceId },
    captures: record.captures.map((capture) => ({
      id: capture.id,
      amount: toMajorUnits(capture.amount, record.currency),
      created_at: tabbyTime(capture.createdAt),
      reference_id: capture.referenceId,
    })),
    refunds: record.refunds.map((refund) => ({
      id: refund.id,
      amount: toMajorUnits(refund.amount, record.currency),
      created_at: tabbyTime(refund.createdAt),
      reference_id: refund.referenceId,
      reason: refund.reason,
    })),
    meta: record.request.payment.meta ?? null,
    token: null,
  };
}

