/**
 * What the control API shows: an invoice with all its internals (status, version, the versions
 * the terminal acknowledged, polls, payment, refunds, receipts, every action with its result
 * code) and terminals without their passwords. Money as decimal strings in the invoice currency.
 */
import { refundedAmount, type InvoiceRecord, type Terminal } from './model';
import { toDecimal } from './money';
import { invoiceQrCode, stickerQrCode } from './qr-codes';

export type InvoiceInspection = ReturnType<typeof inspectInvoice>;
export type TerminalView = ReturnType<typeof terminalView>;

export function inspectInvoice(invoice: InvoiceRecord) {
  const money = (minor: number) => ({ value: toDecimal(minor, invoice.currency), currency: invoice.currency });
  const payment = invoice.payment;
  return {
    invoice_reference: invoice.reference,
    invoice_qr_code: invoiceQrCode(invoice.reference),
    terminal_id: invoice.terminalId,
    client_invoice_id: invoice.clientInvoiceId,
    created_at: invoice.createdAt.toISOString(),
    status: invoice.status,
    version: invoice.version,
    acknowledged_versions: invoice.acknowledgedVersions,
    polls: invoice.polls,
    last_poll_at: invoice.lastPollAt?.toISOString() ?? null,
    total_amount: money(invoice.totalAmount),
    notification_url: invoice.notificationUrl,
    payment:
      payment === null
        ? null
        : {
            ers_reference: payment.ersReference,
            paid_at: payment.paidAt.toISOString(),
            payer_terminal_id: payment.payerTerminalId,
            polled_after_payment: payment.polledAfterPayment,
            reverses_at: payment.reversesAt?.toISOString() ?? null,
          },
    refunded_amount: money(refundedAmount(invoice)),
    refunds: invoice.refunds.map((refund) => ({
      ers_reference: refund.ersReference,
      amount: money(refund.amount),
      at: refund.at.toISOString(),
      terminal_id: refund.terminalId,
      title: refund.title,
    })),
    receipts: invoice.receipts.map((receipt) => ({ ...receipt, at: receipt.at.toISOString() })),
    actions: invoice.actions,
  };
}

export function terminalView(terminal: Terminal) {
  return {
    terminal_id: terminal.terminalId,
    reseller_id: terminal.resellerId,
    external_terminal_id: terminal.externalTerminalId,
    name: terminal.name,
    seqr_id: terminal.seqrId,
    sticker_qr_code: terminal.seqrId === null ? null : stickerQrCode(terminal.seqrId),
    registered: terminal.registered,
    registered_at: terminal.registeredAt.toISOString(),
    current_invoice: terminal.currentInvoice,
  };
}
