/** Plays the Settle customer and inspects the Settle sandbox through its control API. */
import type { PaymentState } from '../../workflows/payment';
import type { Payment, Pos } from './pos';
import { call, eventually } from './http';
import { SandboxControl } from './sandbox-control';

export interface SandboxRequest {
  tid: string;
  request: { pos_id: string; pos_tid: string; customer: string; amount: number };
  outcome: { status_code: number; auth_amount: number; captures: { id: string | null; amount: number }[]; refunds: { id: string | null; amount: number }[]; date_expires: string | null };
  actions: { action: string; at: string; result: number }[];
  outcome_reads: number;
}

export class SettleCustomer {
  constructor(readonly sandboxUrl: string, readonly shortlinkId: string) {}

  /** Request log, fault strikes, held requests. */
  get control(): SandboxControl {
    return new SandboxControl(this.sandboxUrl);
  }

  /** Scans the QR the payment shows (`http://settle.eu/s/<shortlink>/<argstring>`). */
  async scan(qrContent: string): Promise<string> {
    const match = /^http:\/\/settle\.eu\/s\/([^/]+)\/(.*)$/.exec(qrContent);
    if (!match) throw new Error(`not a Settle QR: ${qrContent}`);
    const response = await call('POST', `${this.sandboxUrl}/_sandbox/shortlinks/${match[1]}/scan`, { body: { argstring: match[2] } });
    if (response.status !== 200) throw new Error(`scan failed: ${response.status} ${JSON.stringify(response.body)}`);
    return (response.body as { token: string }).token;
  }

  async act(tid: string, action: 'approve' | 'reject'): Promise<void> {
    const response = await call('POST', `${this.sandboxUrl}/_sandbox/payment_requests/${tid}/${action}`);
    if (response.status !== 200) throw new Error(`${action} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async requests(posId: string, posTid: string): Promise<SandboxRequest[]> {
    const response = await call<SandboxRequest[] | { items: SandboxRequest[] }>('GET', `${this.sandboxUrl}/_sandbox/payment_requests?pos_id=${posId}&pos_tid=${posTid}`);
    return Array.isArray(response.body) ? response.body : response.body.items;
  }

  async request(tid: string): Promise<SandboxRequest> {
    return (await call<SandboxRequest>('GET', `${this.sandboxUrl}/_sandbox/payment_requests/${tid}`)).body;
  }

  /** Waits until the sandbox holds the request of a payment (created after the scan callback). */
  requestOf(posId: string, settlePosTid: string): Promise<SandboxRequest> {
    return eventually(`a Settle payment request for ${settlePosTid}`, async () => (await this.requests(posId, settlePosTid))[0]);
  }

  /** Adds a fault (once, unless `times` says otherwise); resolves with its id. */
  fault(fault: Record<string, unknown>): Promise<string> {
    return this.control.fault(fault);
  }

  /** The next `times` callbacks are each delivered twice. */
  async duplicateCallbacks(times: number): Promise<void> {
    const response = await call('POST', `${this.sandboxUrl}/_sandbox/callbacks/duplicate`, { body: { times } });
    if (response.status >= 300) throw new Error(`duplicate not accepted: ${response.status}`);
  }

  async clearFaults(): Promise<void> {
    await call('DELETE', `${this.sandboxUrl}/_sandbox/faults`);
  }
}

/** The customer scans the payment's QR; resolves with Settle's tid once the payment request exists. */
export async function scanPayment(pos: Pos, settle: SettleCustomer, payment: Payment): Promise<string> {
  await settle.scan(payment.qr!.content);
  const scanned = await pos.waitFor(payment.id, (p) => p.provider_reference.tid !== undefined);
  return scanned.provider_reference.tid!;
}

/** The customer scans and approves; resolves once the payment reaches `state`. */
export async function payWithSettle(pos: Pos, settle: SettleCustomer, payment: Payment, state: PaymentState = 'captured'): Promise<Payment> {
  await settle.act(await scanPayment(pos, settle, payment), 'approve');
  return pos.waitForState(payment.id, state);
}
