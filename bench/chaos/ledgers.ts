/**
 * What each provider's sandbox recorded for one payment, read through its inspection API and put in
 * one shape: money taken, refunds paid (with our refund_id where the provider keeps it), money
 * still held, and anything a customer could still pay. The invariant check compares this with the
 * payment the service shows.
 */
import type { Inspection as SettleInspection } from '../../src/sandboxes/settle/control-routes';
import type { Inspection as TabbyInspection } from '../../src/sandboxes/tabby/control-routes';
import type { InvoiceInspection } from '../../src/sandboxes/seqr/views';
import type { TransactionInspection } from '../../src/sandboxes/paysera/control-routes';
import { parseMajorUnits } from '../../workflows/money';
import type { PaymentResource } from '../../workflows/payment';
import type { ProviderName } from './settings';
import type { SandboxControl } from './sandbox-control';

export interface ProviderRefund {
  /** Our refund_id, where the provider keeps it (Settle refund_id, Tabby reference_id, SEQR title); null where it does not (Paysera). */
  refundId: string | null;
  amount: number;
}

export interface ProviderLedger {
  /** Provider objects found for the payment (payment requests, sessions, invoices, orders). */
  objects: number;
  captured: number;
  /** Money-taking operations (captures, paid invoices, confirms): more than one is a double capture. */
  captures: number;
  refunds: ProviderRefund[];
  /** Authorized or reserved and neither captured nor released. */
  held: number;
  /** What a customer could still pay; `shown` = the object the payment shows (else an orphan nobody was shown). */
  payable: { what: string; shown: boolean }[];
  /** One line for the report: each object and its status. */
  summary: string;
}

const sum = (amounts: readonly number[]) => amounts.reduce((total, amount) => total + amount, 0);

/** Settle's payment requests carry `pos_tid = <merchant>.<pos_tid>` (README, "Settle specifics"). */
async function settleLedger(sandbox: SandboxControl, payment: PaymentResource): Promise<ProviderLedger> {
  const query = new URLSearchParams({ pos_id: payment.pos_id, pos_tid: `${payment.merchant_id}.${payment.pos_tid}` });
  const requests = await sandbox.get<SettleInspection[]>(`/payment_requests?${query.toString()}`);
  const outcomes = requests.map((request) => request.outcome);
  return {
    objects: requests.length,
    captured: sum(outcomes.flatMap((outcome) => outcome.captures.map((capture) => capture.amount))),
    captures: sum(outcomes.map((outcome) => outcome.captures.length)),
    refunds: outcomes.flatMap((outcome) => outcome.refunds.map((refund) => ({ refundId: refund.id, amount: refund.amount }))),
    held: sum(outcomes.filter((outcome) => outcome.status_code === 3008).map((outcome) => outcome.auth_amount)),
    payable: outcomes.filter((outcome) => outcome.status_code === 1003).map((outcome) => ({ what: `payment request ${outcome.tid} (1003 pending)`, shown: outcome.tid === payment.provider_reference.tid })),
    summary: outcomes.map((outcome) => `request ${outcome.tid}: ${outcome.status_code}`).join('; ') || 'no payment request',
  };
}

async function tabbyLedger(sandbox: SandboxControl, payment: PaymentResource): Promise<ProviderLedger> {
  const sessions = await sandbox.get<TabbyInspection[]>(`/payments?reference_id=${encodeURIComponent(payment.id)}`);
  const money = (amount: string, currency: string) => parseMajorUnits(amount, currency);
  const captured = (session: TabbyInspection) => sum(session.payment.captures.map((capture) => money(capture.amount, session.payment.currency)));
  return {
    objects: sessions.length,
    captured: sum(sessions.map(captured)),
    captures: sum(sessions.map((session) => session.payment.captures.length)),
    refunds: sessions.flatMap((session) => session.payment.refunds.map((refund) => ({ refundId: refund.reference_id, amount: money(refund.amount, session.payment.currency) }))),
    held: sum(sessions.filter((session) => session.payment.status === 'AUTHORIZED').map((session) => money(session.payment.amount, session.payment.currency) - captured(session))),
    payable: sessions.filter((session) => session.payment.status === 'CREATED').map((session) => ({ what: `session ${session.session_id} (CREATED)`, shown: session.session_id === payment.provider_reference.session_id })),
    summary: sessions.map((session) => `session ${session.session_id}: ${session.payment.status}`).join('; ') || 'no session',
  };
}

/** Our refunds go to SEQR titled `Refund <refund_id>` (activities/seqr/adapter.ts). */
const SEQR_REFUND_TITLE = /^Refund (.+)$/;

async function seqrLedger(sandbox: SandboxControl, payment: PaymentResource): Promise<ProviderLedger> {
  const invoices = await sandbox.get<InvoiceInspection[]>(`/invoices?client_invoice_id=${encodeURIComponent(payment.id)}`);
  const money = (value: { value: string; currency: string }) => parseMajorUnits(value.value, value.currency);
  const paid = invoices.filter((invoice) => invoice.status === 'PAID');
  return {
    objects: invoices.length,
    captured: sum(paid.map((invoice) => money(invoice.total_amount))),
    captures: paid.length,
    refunds: invoices.flatMap((invoice) => invoice.refunds.map((refund) => ({ refundId: SEQR_REFUND_TITLE.exec(refund.title)?.[1] ?? null, amount: money(refund.amount) }))),
    held: 0,
    payable: invoices
      .filter((invoice) => invoice.status === 'ISSUED' || invoice.status === 'PENDING_ISSUER_ACKNOWLEDGE')
      .map((invoice) => ({ what: `invoice ${invoice.invoice_reference} (${invoice.status})`, shown: invoice.invoice_reference === payment.provider_reference.invoice_reference })),
    summary:
      invoices
        .map((invoice) => `invoice ${invoice.invoice_reference}: ${invoice.status}${invoice.payment && invoice.status !== 'PAID' ? ' (paid, reversed)' : ''}${invoice.refunds.map((refund) => `, "${refund.title}" ${refund.amount.value}`).join('')}`)
        .join('; ') || 'no invoice',
  };
}

interface PayseraOrder {
  id: number;
  transaction_key: string;
  status: string;
}

/**
 * Every campaign payment has a table of its own, so every order ever put on its spot is its own. A
 * refund cancels the confirmed payment: its price stays, its status becomes `canceled`.
 */
async function payseraLedger(sandbox: SandboxControl, payment: PaymentResource): Promise<ProviderLedger> {
  const spotId = payment.provider_reference.spot_id;
  const orders = spotId === undefined ? [] : await sandbox.get<PayseraOrder[]>(`/orders?spot_id=${spotId}`);
  const transactions = await Promise.all(orders.map((order) => sandbox.get<TransactionInspection>(`/transactions/${encodeURIComponent(order.transaction_key)}`)));
  const prices = (transaction: TransactionInspection) => sum(transaction.payments.map((item) => item.price));
  const confirmed = transactions.filter((transaction) => transaction.status === 'confirmed');
  return {
    objects: orders.length,
    captured: sum(confirmed.map(prices)),
    captures: sum(transactions.map((transaction) => transaction.actions.filter((action) => action.action === 'confirm' && action.status === 200).length)),
    refunds: confirmed.flatMap((transaction) => transaction.payments.filter((item) => item.status === 'canceled').map((item) => ({ refundId: null, amount: item.price }))),
    held: sum(transactions.filter((transaction) => transaction.status === 'reserved').map(prices)),
    payable: orders
      .filter((order) => order.status === 'pending')
      .map((order) => ({ what: `order ${order.id} (pending)`, shown: order.transaction_key === payment.provider_reference.transaction_key })),
    summary: orders.map((order, index) => `order ${order.id}: ${order.status}, transaction ${transactions[index]?.status ?? '?'}`).join('; ') || 'no order',
  };
}

const READERS: Record<ProviderName, (sandbox: SandboxControl, payment: PaymentResource) => Promise<ProviderLedger>> = {
  settle: settleLedger,
  tabby: tabbyLedger,
  seqr: seqrLedger,
  paysera: payseraLedger,
};

export function readLedger(sandboxes: Record<ProviderName, SandboxControl>, payment: PaymentResource): Promise<ProviderLedger> {
  // Campaigns create payments of their own providers only.
  const provider = payment.provider as ProviderName;
  return READERS[provider](sandboxes[provider], payment);
}
