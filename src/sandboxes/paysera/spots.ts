/**
 * Spots and their orders (seed paysera-spots, paysera.md §3.1): lookup by code with
 * auto-registration, the customer's check-in and check-out, the merchant's orders and closing.
 * A spot's session runs from the first check-in to its close; its orders are the ones listed.
 */
import type { ResolvedConfig } from './config';
import { invalidParameters, invalidState, notFound, Refusal } from './errors';
import { logAction, type OrderRecord, type SpotRecord } from './model';
import type { TransactionInput } from './schemas';
import type { PayseraStore } from './store';
import type { TransactionService } from './transactions';
import { isPending, orderStatus } from './transitions';

const SPOT_CODE = /^PAYSERA\*(\d+):(.+)$/;

export class SpotService {
  constructor(
    private readonly config: ResolvedConfig,
    private readonly store: PayseraStore,
    private readonly transactions: TransactionService,
  ) {
    this.registerConfigured();
  }

  /**
   * GET /spot?code=: an unknown identifier is registered on first use, forged ones included
   * (that is why merchants must close spots they do not recognise). Identifiers are matched
   * ignoring case and kept in lower case: seed 002 answers `identifier: "table1"` for
   * PAYSERA*3:TABLE1 (inferred).
   */
  byCode(code: string): SpotRecord | Refusal {
    const match = SPOT_CODE.exec(code);
    if (!match) return invalidParameters('code: not a spot code (PAYSERA*<location id>:<identifier>)');
    const [, locationId = '', identifier = ''] = match;
    if (Number(locationId) !== this.config.locationId) return notFound(`location ${locationId} not found`);
    const normalized = identifier.toLowerCase();
    return this.store.spotWithIdentifier(normalized) ?? this.store.addSpot(normalized, false);
  }

  get(id: number): SpotRecord | Refusal {
    return this.store.spot(id) ?? notFound(`spot ${id} not found`);
  }

  list(filter: { status?: SpotRecord['status'] | undefined; limit: number; offset: number }): { spots: SpotRecord[]; total: number } {
    const matching = this.store.allSpots().filter((spot) => filter.status === undefined || spot.status === filter.status);
    return { spots: matching.slice(filter.offset, filter.offset + filter.limit), total: matching.length };
  }

  /** PUT /spot/{id}/close: pending orders close with it; a closed spot closes again quietly. */
  close(id: number): SpotRecord | Refusal {
    const spot = this.get(id);
    if (spot instanceof Refusal) return spot;
    this.endSession(spot, 'close_spot', 'merchant');
    return spot;
  }

  /** Only while someone is checked in: an order needs a customer to pay it (seed 002). */
  createOrder(spotId: number, input: TransactionInput): OrderRecord | Refusal {
    const spot = this.get(spotId);
    if (spot instanceof Refusal) return spot;
    if (spot.checkedIn.size === 0) return invalidState(`nobody is checked in at spot ${spot.id}`);
    const transaction = this.transactions.create(input);
    const order = this.store.addOrder({ spotId, transactionKey: transaction.key, createdAt: new Date(), closed: false });
    spot.orderIds.push(order.id);
    // The first order opens the spot.
    spot.status = 'open';
    logAction(transaction, 'create_order', 'merchant', 200, { order_id: order.id, spot_id: spot.id });
    return order;
  }

  order(id: number): OrderRecord | Refusal {
    return this.store.order(id) ?? notFound(`order ${id} not found`);
  }

  /**
   * DELETE /order/{id}: the order closes and leaves its spot's list. Its transaction is left as
   * it is — revoking it is the merchant's call (§10 step 6) — and a paid order cannot be removed.
   */
  deleteOrder(id: number): OrderRecord | Refusal {
    const order = this.order(id);
    if (order instanceof Refusal) return order;
    const transaction = this.transactions.get(order.transactionKey);
    if (transaction instanceof Refusal) return transaction;
    const refused = orderStatus(order, transaction) === 'confirmed' ? invalidState(`order ${id} is confirmed (paid)`) : null;
    logAction(transaction, 'delete_order', 'merchant', refused?.status ?? 200, { order_id: id });
    if (refused) return refused;
    order.closed = true;
    const spot = this.store.spot(order.spotId);
    if (spot) spot.orderIds = spot.orderIds.filter((orderId) => orderId !== id);
    return order;
  }

  /** closed → waiting; one spot per customer, so checking in here checks out of any other. */
  checkIn(id: number, customer: string): SpotRecord | Refusal {
    const spot = this.get(id);
    if (spot instanceof Refusal) return spot;
    for (const other of this.store.allSpots()) if (other !== spot && other.checkedIn.has(customer)) this.leave(other, customer);
    spot.checkedIn.add(customer);
    if (spot.status === 'closed') spot.status = 'waiting';
    return spot;
  }

  checkOut(id: number, customer: string): SpotRecord | Refusal {
    const spot = this.get(id);
    if (spot instanceof Refusal) return spot;
    if (!spot.checkedIn.has(customer)) return invalidState(`${customer} is not checked in at spot ${spot.id}`);
    this.leave(spot, customer);
    return spot;
  }

  /** Back to the configured spots only, all closed. */
  reset(): void {
    this.store.clear();
    this.registerConfigured();
  }

  private registerConfigured(): void {
    for (const identifier of this.config.knownSpots) {
      if (!this.store.spotWithIdentifier(identifier.toLowerCase())) this.store.addSpot(identifier.toLowerCase(), true);
    }
  }

  /** The spot closes when its last customer leaves, as if the merchant had closed it (inferred). */
  private leave(spot: SpotRecord, customer: string): void {
    spot.checkedIn.delete(customer);
    if (spot.checkedIn.size === 0) this.endSession(spot, 'check_out', 'customer');
  }

  private endSession(spot: SpotRecord, action: string, source: 'merchant' | 'customer'): void {
    for (const orderId of spot.orderIds) {
      const order = this.store.order(orderId);
      const transaction = order && this.store.transaction(order.transactionKey);
      if (order === undefined || transaction === undefined || !isPending(order, transaction)) continue;
      order.closed = true;
      logAction(transaction, action, source, 200, { spot_id: spot.id, order_id: order.id });
    }
    spot.status = 'closed';
    spot.checkedIn.clear();
    spot.orderIds = [];
  }
}
