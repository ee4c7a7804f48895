/** Plays the Tabby customer and inspects the Tabby sandbox through its control API. */
import { call, eventually } from './http';
import { SandboxControl } from './sandbox-control';
import type { Payment } from './pos';

export interface TabbySandboxPayment {
  payment: { id: string; status: string; amount: string; currency: string; captures: { amount: string; reference_id: string | null }[]; refunds: { amount: string; reference_id: string | null }[] };
  session_id: string;
  actions: { action: string; at: string; status: number; reference_id?: string | null }[];
  reads: number;
}

export class TabbyCustomer {
  constructor(readonly sandboxUrl: string) {}

  /** Request log, fault strikes, held requests. */
  get control(): SandboxControl {
    return new SandboxControl(this.sandboxUrl);
  }

  /** At the checkout page opened from the QR: pay, reject, or press the cross. */
  async act(payment: Payment, action: 'approve' | 'reject' | 'cancel', body: Record<string, unknown> = {}): Promise<void> {
    const sessionId = payment.provider_reference.session_id;
    const response = await call('POST', `${this.sandboxUrl}/_sandbox/sessions/${sessionId}/${action}`, { body });
    if (response.status !== 200) throw new Error(`${action} failed: ${response.status} ${JSON.stringify(response.body)}`);
  }

  async payments(referenceId: string): Promise<TabbySandboxPayment[]> {
    const response = await call<TabbySandboxPayment[] | { items: TabbySandboxPayment[] }>('GET', `${this.sandboxUrl}/_sandbox/payments?reference_id=${encodeURIComponent(referenceId)}`);
    return Array.isArray(response.body) ? response.body : response.body.items;
  }

  async paymentOf(payment: Payment): Promise<TabbySandboxPayment> {
    const [found, ...more] = await this.payments(payment.id);
    if (!found || more.length > 0) throw new Error(`expected exactly one Tabby payment for ${payment.id}, found ${more.length + (found ? 1 : 0)}`);
    return found;
  }

  /** Adds a fault (once, unless `times` says otherwise); resolves with its id. */
  fault(fault: Record<string, unknown>): Promise<string> {
    return this.control.fault(fault);
  }

  /** The injected faults not used up yet, with how many uses each has left. */
  async faults(): Promise<{ remaining: number }[]> {
    const response = await call<{ remaining: number }[] | { items: { remaining: number }[] }>('GET', `${this.sandboxUrl}/_sandbox/faults`);
    return Array.isArray(response.body) ? response.body : response.body.items;
  }

  /** Resolves once every injected fault has been consumed by a request. */
  faultsConsumed(): Promise<boolean> {
    return eventually('the injected faults to be consumed', async () => (await this.faults()).length === 0);
  }

  async clearFaults(): Promise<void> {
    await call('DELETE', `${this.sandboxUrl}/_sandbox/faults`);
  }

  async webhooks(kind: 'duplicate' | 'reorder', times: number): Promise<void> {
    const response = await call('POST', `${this.sandboxUrl}/_sandbox/webhooks/${kind}`, { body: { times } });
    if (response.status >= 300) throw new Error(`${kind} not accepted: ${response.status}`);
  }

  /** The customer approves at the moment the next API request matching `match` reaches Tabby; resolves with the hook's id. */
  async approveOnArrival(payment: Payment, match: { method?: string; path_pattern: string }, body: Record<string, unknown> = {}): Promise<string> {
    const response = await call<{ hook: string }>('POST', `${this.sandboxUrl}/_sandbox/sessions/${payment.provider_reference.session_id}/approve/on-arrival`, { body: { ...body, ...match } });
    if (response.status !== 201) throw new Error(`approve on arrival not accepted: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.hook;
  }

  /** Every webhook delivery attempt, with the payment it was about and whether it was a duplicate or reordered copy. */
  async webhookLog(): Promise<{ payment_id: string; event: string; status: number | null; duplicate: boolean; reordered: boolean }[]> {
    return (await call<{ payment_id: string; event: string; status: number | null; duplicate: boolean; reordered: boolean }[]>('GET', `${this.sandboxUrl}/_sandbox/webhooks`)).body;
  }

  async rejectNextSessions(count: number): Promise<void> {
    await call('POST', `${this.sandboxUrl}/_sandbox/eligibility`, { body: { reject_next: count } });
  }
}
