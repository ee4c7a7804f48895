/**
 * The customer of each provider, played through its sandbox's control API exactly as the tests do
 * (test/support/*-customer.ts): they come to the QR (scan it, or check in at the table), then pay or
 * decline. What they need to act on comes from the payment the till shows.
 */
import type { PaymentResource } from '../../workflows/payment';
import type { ProviderName } from './settings';
import { SettleCustomer } from '../api';
import type { Till } from '../till';
import type { PaymentPlan } from './plan';
import type { SandboxControl } from './sandbox-control';

export type PaymentTill = Till<PaymentResource>;

export interface Customer {
  /** Comes to the QR; resolves once the provider holds something this customer can pay (or at once where the QR already is that). */
  arrive(till: PaymentTill): Promise<void>;
  pay(till: PaymentTill, plan: PaymentPlan): Promise<void>;
  reject(till: PaymentTill): Promise<void>;
}

/** How long a customer waits for the till to show what they need (a worker may be restarting meanwhile). */
export interface CustomerTiming {
  stepTimeoutMs: number;
  signal: AbortSignal;
}

/** The payment still waits for its customer: what a customer waits to be shown may still come. */
const stillWaiting = (payment: PaymentResource) => payment.state === 'pending' || payment.state === 'awaiting_customer';

async function shown(till: PaymentTill, key: string, timing: CustomerTiming): Promise<string> {
  const { payment } = await till.until((p) => p.provider_reference[key] !== undefined || !stillWaiting(p), timing.stepTimeoutMs, `${key} shown`);
  const value = payment.provider_reference[key];
  if (value === undefined) throw new Error(`the payment became ${payment.state} before it showed ${key}`);
  return value;
}

/** How long a Settle customer looks at an app that shows nothing before scanning again. */
const RESCAN_AFTER_MS = 20_000;

/** Scans the shortlink QR (the sandbox sends the signed scan callback), then answers in the app. */
class SettlePayer implements Customer {
  private readonly app: SettleCustomer;

  constructor(sandbox: SandboxControl, private readonly timing: CustomerTiming) {
    this.app = new SettleCustomer(sandbox.url, 15_000);
  }

  /**
   * Scans, and scans again when the app shows nothing for RESCAN_AFTER_MS, as a person would: Settle's
   * callback retries are undocumented (the sandbox gives up after ~1.3 s), so a scan whose callback
   * met a restarting Temporal or ingress is lost, and the payment would only expire.
   */
  async arrive(till: PaymentTill): Promise<void> {
    const giveUpAt = Date.now() + this.timing.stepTimeoutMs;
    for (;;) {
      await this.app.scan(till.payment.qr?.content ?? '', this.timing.signal);
      try {
        await shown(till, 'tid', { ...this.timing, stepTimeoutMs: Math.max(1, Math.min(RESCAN_AFTER_MS, giveUpAt - Date.now())) });
        return;
      } catch (error) {
        if (!stillWaiting(till.payment) || Date.now() >= giveUpAt || this.timing.signal.aborted) throw error;
      }
    }
  }

  async pay(till: PaymentTill): Promise<void> {
    await this.app.approve(await shown(till, 'tid', this.timing), this.timing.signal);
  }

  async reject(till: PaymentTill): Promise<void> {
    await this.app.reject(await shown(till, 'tid', this.timing), this.timing.signal);
  }
}

/** Opens the checkout page of the QR: the session exists from the create on. */
class TabbyPayer implements Customer {
  constructor(private readonly sandbox: SandboxControl, private readonly timing: CustomerTiming) {}

  async arrive(): Promise<void> {}

  async pay(till: PaymentTill, plan: PaymentPlan): Promise<void> {
    await this.sandbox.post(`/sessions/${await shown(till, 'session_id', this.timing)}/approve`, { auto_capture: plan.tabbyAutoCapture });
  }

  async reject(till: PaymentTill): Promise<void> {
    await this.sandbox.post(`/sessions/${await shown(till, 'session_id', this.timing)}/reject`);
  }
}

/** Scans the till's sticker (the app finds the till's open invoice), then pays it or the payment fails. */
class SeqrPayer implements Customer {
  constructor(private readonly sandbox: SandboxControl, private readonly timing: CustomerTiming) {}

  async arrive(till: PaymentTill): Promise<void> {
    const seqrId = (till.payment.qr?.content ?? '').replace(/^HTTP:\/\/SEQR\.SE\/Q/, '');
    await this.sandbox.post(`/seqr-ids/${seqrId}/scan`);
  }

  async pay(till: PaymentTill): Promise<void> {
    await this.sandbox.post(`/invoices/${await shown(till, 'invoice_reference', this.timing)}/pay`);
  }

  async reject(till: PaymentTill): Promise<void> {
    await this.sandbox.post(`/invoices/${await shown(till, 'invoice_reference', this.timing)}/fail`);
  }
}

/** Checks in at the table (a customer of their own), waits for the order the service puts there, then reserves or rejects it. */
class PayseraPayer implements Customer {
  constructor(private readonly sandbox: SandboxControl, private readonly timing: CustomerTiming) {}

  async arrive(till: PaymentTill): Promise<void> {
    const spotId = await shown(till, 'spot_id', this.timing);
    await this.sandbox.post(`/spots/${spotId}/check-in`, { customer: `customer-${till.payment.pos_tid}` });
    await shown(till, 'transaction_key', this.timing);
  }

  async pay(till: PaymentTill): Promise<void> {
    await this.sandbox.post(`/transactions/${await shown(till, 'transaction_key', this.timing)}/reserve`);
  }

  async reject(till: PaymentTill): Promise<void> {
    await this.sandbox.post(`/transactions/${await shown(till, 'transaction_key', this.timing)}/reject`);
  }
}

export function customers(sandboxes: Record<ProviderName, SandboxControl>, timing: CustomerTiming): Record<ProviderName, Customer> {
  return {
    settle: new SettlePayer(sandboxes.settle, timing),
    tabby: new TabbyPayer(sandboxes.tabby, timing),
    seqr: new SeqrPayer(sandboxes.seqr, timing),
    paysera: new PayseraPayer(sandboxes.paysera, timing),
  };
}
