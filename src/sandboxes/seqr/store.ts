/** In-memory resellers (from the configuration), terminals and invoices, with the look-ups the API needs. */
import type { InvoiceRecord, Reseller, Terminal } from './model';

export class SeqrStore {
  private readonly resellers: readonly Reseller[];
  private readonly terminals = new Map<string, Terminal>();
  private readonly invoices = new Map<string, InvoiceRecord>();
  /** Payment ersReference → its invoice. */
  private readonly payments = new Map<string, InvoiceRecord>();

  constructor(resellers: readonly Reseller[]) {
    this.resellers = resellers.map((reseller) => ({ ...reseller }));
  }

  resellerById(id: string): Reseller | undefined {
    return this.resellers.find((reseller) => reseller.id === id);
  }

  addTerminal(terminal: Terminal): void {
    this.terminals.set(terminal.terminalId, terminal);
  }

  /** Only registered terminals: an unregistered id is unknown to SEQR. */
  terminal(terminalId: string): Terminal | undefined {
    const terminal = this.terminals.get(terminalId);
    return terminal?.registered ? terminal : undefined;
  }

  terminalBySeqrId(seqrId: string): Terminal | undefined {
    return [...this.terminals.values()].find((terminal) => terminal.registered && terminal.seqrId === seqrId);
  }

  allTerminals(): Terminal[] {
    return [...this.terminals.values()];
  }

  addInvoice(invoice: InvoiceRecord): void {
    this.invoices.set(invoice.reference, invoice);
  }

  invoice(reference: string): InvoiceRecord | undefined {
    return this.invoices.get(reference);
  }

  allInvoices(): InvoiceRecord[] {
    return [...this.invoices.values()];
  }

  addPayment(invoice: InvoiceRecord, ersReference: string): void {
    this.payments.set(ersReference, invoice);
  }

  invoiceByPayment(ersReference: string): InvoiceRecord | undefined {
    return this.payments.get(ersReference);
  }

  /** Forgets terminals and invoices; the configured resellers stay. */
  clear(): void {
    this.terminals.clear();
    this.invoices.clear();
    this.payments.clear();
  }
}
