/**
 * Paysera's wire shapes (paysera.md §4): spots, orders, transactions and payments as the merchant
 * client sees them. Optional fields are left out, never null (§1); timestamps are UNIX seconds;
 * money goes out as `price` cents with `price_decimal` beside it.
 */
import type { OrderRecord, PaymentRecord, SpotRecord, TransactionRecord } from './model';
import { decimalOf } from './money';
import type { PayseraStore } from './store';
import { orderStatus } from './transitions';

function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

export function orderView(order: OrderRecord, store: PayseraStore) {
  const transaction = store.transaction(order.transactionKey);
  if (transaction === undefined) throw new Error(`order ${order.id} has no transaction ${order.transactionKey}`);
  return { id: order.id, transaction_key: order.transactionKey, status: orderStatus(order, transaction) };
}

/** The merchant owns every spot here, so `identifier` is always shown; `orders` only when the session has any. */
export function spotView(spot: SpotRecord, store: PayseraStore, locationId: number) {
  const orders = spot.orderIds.flatMap((id) => {
    const order = store.order(id);
    return order === undefined ? [] : [orderView(order, store)];
  });
  return {
    id: spot.id,
    status: spot.status,
    identifier: spot.identifier,
    place_info: { title: `Sandbox location ${locationId}`, location_id: locationId },
    ...(orders.length > 0 ? { orders } : {}),
  };
}

export function paymentView(payment: PaymentRecord, transaction: TransactionRecord) {
  return {
    id: payment.id,
    transaction_key: payment.transactionKey,
    created_at: unixSeconds(payment.createdAt),
    status: payment.status,
    price: payment.price,
    price_decimal: decimalOf(payment.price),
    currency: payment.currency,
    ...(payment.description === null ? {} : { description: payment.description }),
    ...(transaction.wallet === null ? {} : { wallet: transaction.wallet }),
    ...(payment.confirmedAt === null ? {} : { confirmed_at: unixSeconds(payment.confirmedAt) }),
  };
}

export function transactionView(transaction: TransactionRecord, store: PayseraStore) {
  const reserve = {
    ...(transaction.reserveUntil === null ? {} : { until: transaction.reserveUntil }),
    ...(transaction.reserveFor === null ? {} : { for: transaction.reserveFor }),
  };
  return {
    transaction_key: transaction.key,
    created_at: unixSeconds(transaction.createdAt),
    status: transaction.status,
    // POS customers accept in the Paysera app, i.e. on Paysera's own confirmation page.
    type: 'page',
    ...(transaction.wallet === null ? {} : { wallet: transaction.wallet }),
    payments: store.paymentsOf(transaction).map((payment) => paymentView(payment, transaction)),
    ...(transaction.confirmedAt === null ? {} : { confirmed_at: unixSeconds(transaction.confirmedAt) }),
    ...(transaction.autoConfirm === null ? {} : { auto_confirm: transaction.autoConfirm }),
    ...(transaction.callbacksDisabled ? { callback_uri: false } : transaction.callbackUri === null ? {} : { callback_uri: transaction.callbackUri }),
    ...(transaction.redirectUri === null ? {} : { redirect_uri: transaction.redirectUri }),
    ...(Object.keys(reserve).length > 0 ? { reserve } : {}),
  };
}
export type TransactionView = ReturnType<typeof transactionView>;
