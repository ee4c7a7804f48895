/**
 * What a payment tells operators as it moves: a log line (`log` from the workflow API) and an event
 * for the worker's metrics (a sink), both only when the change really happens, never when a history
 * is replayed. Neither writes to the history, so adding or changing them needs no patch.
 */
import { log, proxySinks, type Sinks } from '@temporalio/workflow';
import type { PaymentResource, PaymentState, Refund } from './payment';

export interface PaymentEventSinks extends Sinks {
  paymentEvents: {
    started(provider: string): void;
    stateChanged(provider: string, from: PaymentState, to: PaymentState): void;
    refundSettled(provider: string, outcome: Refund['state']): void;
  };
}

const { paymentEvents } = proxySinks<PaymentEventSinks>();

/** The fields every line about a payment carries. */
const about = (payment: PaymentResource) => ({ payment_id: payment.id, merchant_id: payment.merchant_id, provider: payment.provider });

export function paymentStarted(payment: PaymentResource): void {
  log.info('payment started', { ...about(payment), state: payment.state, amount: payment.amount, currency: payment.currency, pos_id: payment.pos_id });
  paymentEvents.started(payment.provider);
}

/** A visible change: a new state, or a new detail in the same state (version and timeline moved). */
export function paymentChanged(payment: PaymentResource, from: PaymentState, detail: string | null): void {
  log.info(from === payment.state ? 'payment updated' : 'payment state changed', { ...about(payment), from, state: payment.state, version: payment.version, detail });
  if (from !== payment.state) paymentEvents.stateChanged(payment.provider, from, payment.state);
}

export function refundSettled(payment: PaymentResource, refund: Refund): void {
  log.info('refund settled', { ...about(payment), refund_id: refund.refund_id, amount: refund.amount, outcome: refund.state, failure: refund.failure?.code ?? null });
  paymentEvents.refundSettled(payment.provider, refund.state);
}
