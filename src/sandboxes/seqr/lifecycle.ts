/**
 * Everything that happens to an invoice besides the SOAP plumbing: issuing it (and cancelling the
 * terminal's previous one), the customer's moves, polls and their acknowledgements, the payment
 * with its notification and reversal timer (seqr.md §6, §7), and the action log.
 */
import type { Deadlines } from '../shared/deadlines';
import type { ResolvedConfig } from './config';
import { newErsReference, newInvoiceReference, newPayerTerminalId } from './ids';
import type { ActionLogEntry, InvoiceRecord, Terminal } from './model';
import type { PaymentNotifier } from './notifications';
import { stickerQrCode } from './qr-codes';
import type { SeqrStore } from './store';
import { customerMove, moveTo, type CustomerMove } from './transitions';

/** What sendInvoice validated, ready to become an invoice. */
export interface ValidInvoice {
  clientInvoiceId: string;
  currency: string;
  totalAmount: number;
  notificationUrl: string | null;
}

type LogEntry = Omit<ActionLogEntry, 'at'>;

export class InvoiceLifecycle {
  constructor(
    private readonly config: ResolvedConfig,
    private readonly store: SeqrStore,
    private readonly deadlines: Deadlines,
    private readonly notifier: PaymentNotifier,
  ) {}

  /** A new ISSUED invoice, version 1; the terminal's previous open invoice is cancelled (seqr.md §3, FAQ). */
  issue(terminal: Terminal, valid: ValidInvoice): InvoiceRecord {
    const previous = terminal.currentInvoice === null ? undefined : this.store.invoice(terminal.currentInvoice);
    const invoice: InvoiceRecord = {
      reference: newInvoiceReference(),
      terminalId: terminal.terminalId,
      resellerId: terminal.resellerId,
      createdAt: new Date(),
      ...valid,
      status: 'ISSUED',
      version: 1,
      acknowledgedVersions: [],
      polls: 0,
      lastPollAt: null,
      payment: null,
      refunds: [],
      receipts: [],
      actions: [],
    };
    if (previous !== undefined && previous.status === 'ISSUED') {
      moveTo(previous, 'CANCELED');
      this.log(previous, { action: 'replaced', source: 'seqr', result_code: null, detail: `by invoice ${invoice.reference}` });
    }
    this.store.addInvoice(invoice);
    terminal.currentInvoice = invoice.reference;
    return invoice;
  }

  /** An unregistered terminal's ISSUED invoice can no longer be paid or polled: it is cancelled with it. */
  terminalRemoved(terminal: Terminal): void {
    const current = terminal.currentInvoice === null ? undefined : this.store.invoice(terminal.currentInvoice);
    if (current?.status !== 'ISSUED') return;
    moveTo(current, 'CANCELED');
    this.log(current, { action: 'unregistered', source: 'seqr', result_code: null, detail: `terminal ${terminal.terminalId} was unregistered` });
  }

  /** A getPaymentStatus by the invoice's terminal: counted, its invoiceVersion recorded, and after a payment it prevents the reversal. */
  polled(invoice: InvoiceRecord, invoiceVersion: number): void {
    invoice.polls += 1;
    invoice.lastPollAt = new Date();
    invoice.acknowledgedVersions.push(invoiceVersion);
    const payment = invoice.payment;
    if (invoice.status === 'PAID' && payment !== null && !payment.polledAfterPayment) {
      payment.polledAfterPayment = true;
      payment.reversesAt = null;
      this.deadlines.cancel(invoice.reference);
    }
  }

  /** The customer's move; false (nothing changes) when the invoice is not in a status it applies to. */
  customer(invoice: InvoiceRecord, move: CustomerMove): boolean {
    const moved = customerMove(invoice, move);
    this.log(invoice, { action: move, source: 'customer', result_code: null, detail: moved ? `→ ${invoice.status}` : `refused: invoice is ${invoice.status}` });
    if (moved && invoice.status === 'PAID') this.paid(invoice);
    return moved;
  }

  /** The sticker scan reaches the open invoice of the terminal; the customer's app shows it. */
  scanned(invoice: InvoiceRecord, seqrId: string): void {
    this.log(invoice, { action: 'scan', source: 'customer', result_code: null, detail: stickerQrCode(seqrId) });
  }

  log(invoice: InvoiceRecord, entry: LogEntry): void {
    invoice.actions.push({ at: new Date().toISOString(), ...entry });
  }

  /** Cancels every pending reversal; the store is cleared by its owner. */
  reset(): void {
    this.deadlines.cancelAll();
  }

  private paid(invoice: InvoiceRecord): void {
    const paidAt = new Date();
    const reversesAt = new Date(paidAt.getTime() + this.config.reversalMs);
    const ersReference = newErsReference(paidAt);
    invoice.payment = { ersReference, paidAt, payerTerminalId: newPayerTerminalId(), polledAfterPayment: false, reversesAt };
    this.store.addPayment(invoice, ersReference);
    this.deadlines.set(invoice.reference, reversesAt, () => this.reverse(invoice));
    if (invoice.notificationUrl !== null) this.notifier.notify(invoice.notificationUrl, invoice.reference);
  }

  /** Nobody polled after the payment: SEQR assumes the till never learnt of it and gives the money back (seqr.md §7). */
  private reverse(invoice: InvoiceRecord): void {
    const payment = invoice.payment;
    if (invoice.status !== 'PAID' || payment === null || payment.polledAfterPayment) return;
    payment.reversesAt = null;
    moveTo(invoice, 'CANCELED');
    this.log(invoice, { action: 'reversed', source: 'seqr', result_code: null, detail: `not polled within ${this.config.reversalMs / 1000} s of the payment` });
  }
}
