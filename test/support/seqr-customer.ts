/** Plays the SEQR customer (scan the till sticker, pay) and inspects the SEQR sandbox. */
import { call, eventually } from './http';
import type { InvoiceInspection, TerminalView } from '../../src/sandboxes/seqr/views';
import type { Payment } from './pos';

export type { InvoiceInspection as SeqrSandboxInvoice, TerminalView as SeqrSandboxTerminal } from '../../src/sandboxes/seqr/views';

export class SeqrCustomer {
  constructor(readonly sandboxUrl: string) {}

  private async post(path: string, body: unknown = {}): Promise<unknown> {
    const response = await call('POST', `${this.sandboxUrl}/_sandbox/${path}`, { body });
    if (response.status >= 300) throw new Error(`${path} failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  /** The invoice open on the till the payment was sent to. */
  invoiceOf(payment: Payment): string {
    const reference = payment.provider_reference.invoice_reference;
    if (!reference) throw new Error(`payment ${payment.id} has no SEQR invoice`);
    return reference;
  }

  /** The customer scans the till's sticker (the payment's QR) and pays what is open there. */
  async scanAndPay(payment: Payment): Promise<void> {
    const seqrId = (payment.qr?.content ?? '').replace(/^HTTP:\/\/SEQR\.SE\/Q/, '');
    await this.post(`seqr-ids/${seqrId}/scan`);
    await this.post(`invoices/${this.invoiceOf(payment)}/pay`);
  }

  async startPayment(payment: Payment): Promise<void> {
    await this.post(`invoices/${this.invoiceOf(payment)}/start-payment`);
  }

  async invoice(reference: string): Promise<InvoiceInspection> {
    return (await call<InvoiceInspection>('GET', `${this.sandboxUrl}/_sandbox/invoices/${reference}`)).body;
  }

  async terminals(): Promise<TerminalView[]> {
    const body = (await call<TerminalView[] | { items: TerminalView[] }>('GET', `${this.sandboxUrl}/_sandbox/terminals`)).body;
    return Array.isArray(body) ? body : body.items;
  }

  async fault(fault: Record<string, unknown>): Promise<void> {
    const response = await call('POST', `${this.sandboxUrl}/_sandbox/faults`, { body: { times: 1, ...fault } });
    if (response.status !== 201) throw new Error(`fault not accepted: ${response.status} ${JSON.stringify(response.body)}`);
  }

  faultsConsumed(): Promise<boolean> {
    return eventually('the injected faults to be consumed', async () => {
      const body = (await call<unknown[] | { items: unknown[] }>('GET', `${this.sandboxUrl}/_sandbox/faults`)).body;
      return (Array.isArray(body) ? body : body.items).length === 0;
    });
  }

  async clearFaults(): Promise<void> {
    await call('DELETE', `${this.sandboxUrl}/_sandbox/faults`);
  }
}
