/** Plays the SEQR customer (scan the till sticker, pay) and inspects the SEQR sandbox. */
import { call, eventually } from './http';
import { SandboxControl } from './sandbox-control';
import type { InvoiceInspection, TerminalView } from '../../src/sandboxes/seqr/views';
import type { Payment } from './pos';

export type { InvoiceInspection as SeqrSandboxInvoice, TerminalView as SeqrSandboxTerminal } from '../../src/sandboxes/seqr/views';

export interface SeqrCredentials {
  terminals: { terminal_id: string; external_terminal_id: string; registered: boolean; password: string }[];
  resellers: { id: string; user_id: string; password: string }[];
}

export class SeqrCustomer {
  constructor(readonly sandboxUrl: string) {}

  /** Request log, fault strikes, held requests. */
  get control(): SandboxControl {
    return new SandboxControl(this.sandboxUrl);
  }

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

  /** The customer scans the till's sticker: the app now shows the open invoice. */
  async scan(payment: Payment): Promise<void> {
    const seqrId = (payment.qr?.content ?? '').replace(/^HTTP:\/\/SEQR\.SE\/Q/, '');
    await this.post(`seqr-ids/${seqrId}/scan`);
  }

  /** The customer pays at the moment the next `operation` call reaches SEQR; resolves with the hook's id. */
  async payOnArrivalOf(payment: Payment, operation: string): Promise<string> {
    return ((await this.post(`invoices/${this.invoiceOf(payment)}/pay/on-arrival`, { operation })) as { hook: string }).hook;
  }

  async startPayment(payment: Payment): Promise<void> {
    await this.post(`invoices/${this.invoiceOf(payment)}/start-payment`);
  }

  async invoice(reference: string): Promise<InvoiceInspection> {
    return (await call<InvoiceInspection>('GET', `${this.sandboxUrl}/_sandbox/invoices/${reference}`)).body;
  }

  /** The passwords SEQR holds for its terminals and resellers (the sandbox's records). */
  async credentials(): Promise<SeqrCredentials> {
    return (await call<SeqrCredentials>('GET', `${this.sandboxUrl}/_sandbox/credentials`)).body;
  }

  async terminals(): Promise<TerminalView[]> {
    const body = (await call<TerminalView[] | { items: TerminalView[] }>('GET', `${this.sandboxUrl}/_sandbox/terminals`)).body;
    return Array.isArray(body) ? body : body.items;
  }

  /** Adds a fault (once, unless `times` says otherwise); resolves with its id. */
  fault(fault: Record<string, unknown>): Promise<string> {
    return this.control.fault(fault);
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
