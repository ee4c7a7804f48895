/**
 * After the payment (seqr.md §8): refundPayment (full or partial, any terminal of the reseller
 * that took the payment, cumulative refunds at most the payment) and submitPaymentReceipt.
 * Both name the payment by its ersReference; one the reseller does not know is 23.
 */
import type { z } from 'zod';
import { isAnswer, refusal, success, type OpAnswer } from './answers';
import { authenticateTerminal } from './auth';
import { newErsReference } from './ids';
import { checkNotificationUrl, positiveAmount } from './invoice-validation';
import type { InvoiceLifecycle } from './lifecycle';
import { refundedAmount, type InvoiceRecord, type Terminal } from './model';
import { toDecimal } from './money';
import type { refundPaymentRequest, submitPaymentReceiptRequest } from './requests';
import type { SeqrStore } from './store';

export class PaymentOperations {
  constructor(
    private readonly store: SeqrStore,
    private readonly lifecycle: InvoiceLifecycle,
  ) {}

  /**
   * invoice.totalAmount is the amount to refund. No idempotency (seqr.md §9): every accepted call
   * is a new refund with its own ersReference, until 98 stops them.
   */
  refundPayment(request: z.output<typeof refundPaymentRequest>): OpAnswer {
    const terminal = authenticateTerminal(this.store, request.context);
    if (isAnswer(terminal)) return terminal;
    const invoice = this.resellerPayment(terminal, request.ersReference);
    if (isAnswer(invoice)) return invoice;
    // A reversed payment has given the money back already: nothing of it is refundable.
    const answer = invoice.status === 'PAID' ? this.refund(terminal, invoice, request) : refusal(23, `payment ${invoice.payment?.ersReference ?? ''} was reversed`);
    this.lifecycle.log(invoice, { action: 'refundPayment', source: 'merchant', result_code: answer.code, detail: answer.detail });
    return answer;
  }

  /** The POS confirms it saw the payment; the document is optional (seqr.md §8). */
  submitPaymentReceipt(request: z.output<typeof submitPaymentReceiptRequest>): OpAnswer {
    const terminal = authenticateTerminal(this.store, request.context);
    if (isAnswer(terminal)) return terminal;
    const invoice = this.resellerPayment(terminal, request.ersReference);
    if (isAnswer(invoice)) return invoice;
    const document = request.receiptDocument;
    invoice.receipts.push({
      at: new Date(),
      terminalId: terminal.terminalId,
      mimeType: document?.mimeType ?? null,
      receiptType: document?.receiptType ?? null,
      bytes: Buffer.from(document?.receiptData ?? '', 'base64').length,
    });
    this.lifecycle.log(invoice, { action: 'submitPaymentReceipt', source: 'merchant', result_code: 0 });
    return success();
  }

  private refund(terminal: Terminal, invoice: InvoiceRecord, request: z.output<typeof refundPaymentRequest>): OpAnswer {
    const refundInvoice = request.invoice;
    if (!refundInvoice?.title || !refundInvoice.cashierId) return refusal(49, 'a refund invoice needs at least title, cashierId and totalAmount');
    const amount = positiveAmount(refundInvoice.totalAmount, invoice.currency, 'totalAmount');
    if (isAnswer(amount)) return amount;
    const badUrl = checkNotificationUrl(refundInvoice.notificationUrl);
    if (badUrl) return badUrl;
    const left = invoice.totalAmount - refundedAmount(invoice);
    if (amount > left) return refusal(98, `${toDecimal(left, invoice.currency)} ${invoice.currency} of the payment is left to refund`);
    const ersReference = newErsReference();
    invoice.refunds.push({ ersReference, amount, at: new Date(), terminalId: terminal.terminalId, title: refundInvoice.title });
    return success({ ersReference });
  }

  /** A payment ersReference of an invoice sent by any terminal of the caller's reseller. */
  private resellerPayment(terminal: Terminal, ersReference: string | undefined): InvoiceRecord | OpAnswer {
    const invoice = ersReference === undefined ? undefined : this.store.invoiceByPayment(ersReference);
    if (invoice === undefined || invoice.resellerId !== terminal.resellerId) return refusal(23, `no payment ${ersReference ?? '(none)'} of this reseller`);
    return invoice;
  }
}
