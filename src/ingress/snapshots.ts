/**
 * The last payment resource this ingress saw per payment id, bounded (least recently used goes).
 * A long poll that times out answers "unchanged" from here instead of asking the worker: a
 * payment's version grows on every visible change, so the snapshot of the version the till already
 * knows is that payment exactly.
 */
import type { PaymentResource } from '../../workflows/payment';

export class PaymentSnapshots {
  private readonly byId = new Map<string, PaymentResource>();

  constructor(private readonly capacity = 10_000) {}

  get(id: string): PaymentResource | undefined {
    return this.byId.get(id);
  }

  /** Keeps `payment` unless a newer version is already known; returns it for chaining. */
  remember(payment: PaymentResource): PaymentResource {
    const known = this.byId.get(payment.id);
    if (known && known.version > payment.version) return payment;
    this.byId.delete(payment.id);
    this.byId.set(payment.id, payment);
    if (this.byId.size > this.capacity) this.byId.delete(this.byId.keys().next().value as string);
    return payment;
  }
}
