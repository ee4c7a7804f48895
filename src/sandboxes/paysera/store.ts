/**
 * In-memory state: spots, orders, transactions and payments, with the look-ups the API needs.
 * Each kind counts its ids from its own base, so an order id passed where a payment id belongs
 * names nothing instead of the wrong object.
 */
import type { OrderRecord, PaymentRecord, SpotRecord, TransactionRecord } from './model';

const FIRST_ID = { spot: 1, order: 50, payment: 10_000 } as const;

export class PayseraStore {
  private readonly spots = new Map<number, SpotRecord>();
  private readonly spotByIdentifier = new Map<string, number>();
  private readonly orders = new Map<number, OrderRecord>();
  private readonly transactions = new Map<string, TransactionRecord>();
  private readonly payments = new Map<number, PaymentRecord>();
  private nextId = { ...FIRST_ID };

  /** Forgets everything and starts the ids again; the caller re-registers the configured spots. */
  clear(): void {
    this.spots.clear();
    this.spotByIdentifier.clear();
    this.orders.clear();
    this.transactions.clear();
    this.payments.clear();
    this.nextId = { ...FIRST_ID };
  }

  addSpot(identifier: string, preRegistered: boolean): SpotRecord {
    const spot: SpotRecord = { id: this.nextId.spot++, identifier, preRegistered, status: 'closed', checkedIn: new Set(), orderIds: [] };
    this.spots.set(spot.id, spot);
    this.spotByIdentifier.set(identifier, spot.id);
    return spot;
  }

  spot(id: number): SpotRecord | undefined {
    return this.spots.get(id);
  }

  spotWithIdentifier(identifier: string): SpotRecord | undefined {
    const id = this.spotByIdentifier.get(identifier);
    return id === undefined ? undefined : this.spots.get(id);
  }

  /** In id order. */
  allSpots(): SpotRecord[] {
    return [...this.spots.values()];
  }

  addOrder(order: Omit<OrderRecord, 'id'>): OrderRecord {
    const record: OrderRecord = { ...order, id: this.nextId.order++ };
    this.orders.set(record.id, record);
    return record;
  }

  order(id: number): OrderRecord | undefined {
    return this.orders.get(id);
  }

  allOrders(): OrderRecord[] {
    return [...this.orders.values()];
  }

  addTransaction(record: TransactionRecord): void {
    this.transactions.set(record.key, record);
  }

  transaction(key: string): TransactionRecord | undefined {
    return this.transactions.get(key);
  }

  addPayment(payment: Omit<PaymentRecord, 'id'>): PaymentRecord {
    const record: PaymentRecord = { ...payment, id: this.nextId.payment++ };
    this.payments.set(record.id, record);
    return record;
  }

  payment(id: number): PaymentRecord | undefined {
    return this.payments.get(id);
  }

  paymentsOf(transaction: TransactionRecord): PaymentRecord[] {
    return transaction.paymentIds.flatMap((id) => this.payments.get(id) ?? []);
  }
}
