/**
 * The payment flow of a terminal (seqr.md §3, §5, §8): sendInvoice, getPaymentStatus and
 * cancelInvoice. Each call on an existing invoice is logged on it with the result code answered.
 */
import type { z } from 'zod';
import type { XmlFields } from './soap-envelopes';
import { isAnswer, refusal, success, type OpAnswer } from './answers';
import { authenticateTerminal } from './auth';
import type { ResolvedConfig } from './config';
import { validateInvoice } from './invoice-validation';
import type { InvoiceLifecycle } from './lifecycle';
import type { InvoiceRecord, Terminal } from './model';
import { invoiceQrCode } from './qr-codes';
import type { cancelInvoiceRequest, getPaymentStatusRequest, sendInvoiceRequest } from './requests';
import type { SeqrStore } from './store';
import { cancelByMerchant } from './transitions';

/** receipt (seqr.md §4) in the WSDL's order. The echoed `invoice` element is left out: nobody reads it back. */
function receiptFields(invoice: InvoiceRecord, terminal: Terminal): XmlFields | undefined {
  const payment = invoice.payment;
  if (invoice.status !== 'PAID' || payment === null) return undefined;
  return {
    terminalId: terminal.terminalId,
    paymentDate: payment.paidAt.toISOString(),
    clientInvoiceId: invoice.clientInvoiceId,
    invoiceReference: invoice.reference,
    // Open question 5: the WooCommerce plugin refunds with paymentReference, so both are the same value here.
    paymentReference: payment.ersReference,
    payerTerminalId: payment.payerTerminalId,
    receiverName: terminal.name,
  };
}

export class InvoiceOperations {
  constructor(
    private readonly config: ResolvedConfig,
    private readonly store: SeqrStore,
    private readonly lifecycle: InvoiceLifecycle,
  ) {}

  sendInvoice(request: z.output<typeof sendInvoiceRequest>): OpAnswer {
    const terminal = authenticateTerminal(this.store, request.context);
    if (isAnswer(terminal)) return terminal;
    const valid = validateInvoice(request.invoice, this.config.currencies);
    if (isAnswer(valid)) return valid;
    const current = terminal.currentInvoice === null ? undefined : this.store.invoice(terminal.currentInvoice);
    // The customer is paying the open invoice right now: it cannot be replaced under them.
    if (current?.status === 'PENDING_ISSUER_ACKNOWLEDGE') return refusal(48, `invoice ${current.reference} is being paid`);
    const invoice = this.lifecycle.issue(terminal, valid);
    this.lifecycle.log(invoice, { action: 'sendInvoice', source: 'merchant', result_code: 0 });
    return success({ invoiceQRCode: invoiceQrCode(invoice.reference), invoiceReference: invoice.reference });
  }

  getPaymentStatus(request: z.output<typeof getPaymentStatusRequest>): OpAnswer {
    const terminal = authenticateTerminal(this.store, request.context);
    if (isAnswer(terminal)) return terminal;
    const invoice = this.terminalInvoice(terminal, request.invoiceReference);
    if (isAnswer(invoice)) return invoice;
    this.lifecycle.polled(invoice, request.invoiceVersion);
    this.lifecycle.log(invoice, { action: 'getPaymentStatus', source: 'merchant', result_code: 0, invoice_version: request.invoiceVersion });
    const paid = invoice.status === 'PAID' ? invoice.payment : null;
    return success({
      ersReference: paid?.ersReference,
      status: invoice.status,
      receipt: receiptFields(invoice, terminal),
      version: String(invoice.version),
    });
  }

  cancelInvoice(request: z.output<typeof cancelInvoiceRequest>): OpAnswer {
    const terminal = authenticateTerminal(this.store, request.context);
    if (isAnswer(terminal)) return terminal;
    const invoice = this.terminalInvoice(terminal, request.invoiceReference);
    if (isAnswer(invoice)) return invoice;
    const code = cancelByMerchant(invoice);
    this.lifecycle.log(invoice, { action: 'cancelInvoice', source: 'merchant', result_code: code });
    return code === 0 ? success() : refusal(code, `invoice ${invoice.reference} is ${invoice.status}`);
  }

  /** Invoices are private to the terminal that sent them: any other reference is 54. */
  private terminalInvoice(terminal: Terminal, reference: string | undefined): InvoiceRecord | OpAnswer {
    const invoice = reference === undefined ? undefined : this.store.invoice(reference);
    if (invoice === undefined || invoice.terminalId !== terminal.terminalId) return refusal(54, `no invoice ${reference ?? '(none)'} on this terminal`);
    return invoice;
  }
}
