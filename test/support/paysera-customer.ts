/** Plays the Paysera customer (check in at a table, reserve or reject) and inspects the Paysera sandbox. */
import { call, eventually } from './http';
import { SandboxControl } from './sandbox-control';
import type { Payment } from './pos';

interface SandboxSpot { id: number; identifier: string | null; status: string; [key: string]: unknown }
interface SandboxTransaction { transaction_key: string; status: string; actions: { action: string; status: number }[]; payments: { id: number; price: number; status: string }[]; [key: string]: unknown }

export class PayseraCustomer {
  constructor(readonly sandboxUrl: string) {}

  /** Request log, fault strikes, held requests. */
  get control(): SandboxControl {
    return new SandboxControl(this.sandboxUrl);
  }

  private async post(path: string): Promise<unknown> {
    const response = await call('POST', `${this.sandboxUrl}/_sandbox/${path}`, { body: {} });
    if (response.status >= 300) throw new Error(`${path} failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async spots(): Promise<SandboxSpot[]> {
    const body = (await call<SandboxSpot[] | { items: SandboxSpot[]; spots?: SandboxSpot[] }>('GET', `${this.sandboxUrl}/_sandbox/spots`)).body;
    return Array.isArray(body) ? body : body.spots ?? body.items;
  }

  async spot(identifier: string): Promise<SandboxSpot> {
    const spot = (await this.spots()).find((candidate) => candidate.identifier?.toLowerCase() === identifier.toLowerCase());
    if (!spot) throw new Error(`no spot ${identifier} at the sandbox`);
    return spot;
  }

  async checkIn(identifier: string): Promise<void> {
    await this.checkInAt((await this.spot(identifier)).id);
  }

  /** Waits for our order's transaction on the payment's spot, then acts on it as the customer. */
  async transactionOf(payment: Payment): Promise<SandboxTransaction> {
    const key = await eventually('the order’s transaction', async () => payment.provider_reference.transaction_key ?? (await this.orders(payment))[0]?.transaction_key);
    return this.transaction(key);
  }

  async orders(payment: Payment): Promise<{ id: number; transaction_key: string; status: string }[]> {
    const body = (await call<{ id: number; transaction_key: string; status: string }[] | { items: { id: number; transaction_key: string; status: string }[] }>('GET', `${this.sandboxUrl}/_sandbox/orders?spot_id=${payment.provider_reference.spot_id}`)).body;
    return Array.isArray(body) ? body : body.items;
  }

  async transaction(key: string): Promise<SandboxTransaction> {
    return (await call<SandboxTransaction>('GET', `${this.sandboxUrl}/_sandbox/transactions/${key}`)).body;
  }

  async act(payment: Payment, action: 'reserve' | 'reject'): Promise<void> {
    await this.post(`transactions/${(await this.transactionOf(payment)).transaction_key}/${action}`);
  }

  /** Adds a fault (once, unless `times` says otherwise); resolves with its id. */
  fault(fault: Record<string, unknown>): Promise<string> {
    return this.control.fault(fault);
  }

  async clearFaults(): Promise<void> {
    await call('DELETE', `${this.sandboxUrl}/_sandbox/faults`);
  }

  async checkInAt(spotId: number): Promise<void> {
    await this.post(`spots/${spotId}/check-in`);
  }
}
