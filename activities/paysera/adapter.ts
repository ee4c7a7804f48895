/**
 * Paysera spots as a provider (paysera.md, seeds/paysera-spots.md). The QR is the table's printed
 * spot code; the payment waits until someone checks in at the spot (found by polling), then puts an
 * order with an inline transaction on it, follows the transaction (polls + callbacks), confirms it
 * when `reserved`, and closes the spot when the payment is over. Order create has no idempotency
 * key, so an earlier attempt's order on the spot is looked for before creating another.
 */
import { ApplicationFailure } from '@temporalio/activity';
import type { ProviderObservation, ProviderPaymentContext, RefundCommand } from '../../workflows/provider-contract';
import { referenceValue, type AdapterPrepared, type ProviderAdapter, type Reference } from '../provider';
import { PayseraClient, PayseraRefusal, type PayseraCredentials } from './client';
import { observationOf } from './status';
import type { Spot } from './wire';

export interface PayseraSettings extends PayseraCredentials {
  locationId: number;
  /**
   * Spot identifiers the merchant printed (PAYSERA_SPOTS): any other spot is a forged code, refused
   * for payments and closed by the watcher. null when unset: every spot of the location is accepted.
   */
  knownSpots: readonly string[] | null;
  /** `${PUBLIC_BASE_URL}/v1/webhooks/paysera`. */
  callbackUrl: string;
  pollIntervalMs: number;
}

/** Codes are printed upper-case; Paysera answers identifiers lower-case (seed 002), so compare without case. */
const spotCode = (locationId: number, identifier: string) => `PAYSERA*${locationId}:${identifier.toUpperCase()}`;
/** Whether a spot is one of the merchant's own; without a list (null) every spot that has an identifier is. */
export const isKnownSpot = (known: readonly string[] | null, identifier: string | undefined) =>
  identifier !== undefined && (known === null || known.some((spot) => spot.toLowerCase() === identifier.toLowerCase()));
const number = (reference: Reference, key: string) => Number(referenceValue(reference, key, 'Paysera'));

export class PayseraAdapter implements ProviderAdapter {
  readonly client: PayseraClient;
  readonly pollIntervalMs: number;
  /** Paysera documents no partial refund: a refund cancels the whole payment. */
  readonly refundsWholeOnly = true;

  constructor(private readonly settings: PayseraSettings) {
    this.client = new PayseraClient(settings);
    this.pollIntervalMs = settings.pollIntervalMs;
  }

  async prepare(payment: ProviderPaymentContext): Promise<AdapterPrepared> {
    const spot = await this.spotOf(payment);
    if (!spot.identifier || !this.isOwnSpot(spot)) {
      throw ApplicationFailure.nonRetryable(`spot ${spot.id} (${spot.identifier ?? 'no identifier'}) is not one of this merchant's spots`, 'unknown_spot');
    }
    return {
      kind: 'ready',
      qr_content: spotCode(this.settings.locationId, spot.identifier),
      reference: { spot_id: String(spot.id), spot_code: spotCode(this.settings.locationId, spot.identifier) },
      observation: null,
    };
  }

  /** Someone checked in at the spot (or our order is already on it from an earlier attempt). */
  async findCustomer(_payment: ProviderPaymentContext, reference: Reference): Promise<string | null> {
    const spot = await this.client.spot(number(reference, 'spot_id'));
    return spot.status === 'closed' ? null : `spot:${spot.id}:${spot.status}`;
  }

  /** Puts our order on the spot, unless a lost answer already did (its transaction names our payment). */
  async engage(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    const spotId = number(reference, 'spot_id');
    const callbackUri = `${this.settings.callbackUrl}?payment=${encodeURIComponent(payment.payment_id)}`;
    for (const order of (await this.client.spot(spotId)).orders) {
      const transaction = await this.client.transaction(order.transaction_key);
      if (transaction.callback_uri === callbackUri) return this.withOrder(observationOf(transaction), order.id);
    }
    const { request } = payment;
    try {
      const order = await this.client.createOrder(spotId, {
        transaction: {
          payments: [{ description: request.description ?? `Order ${request.pos_tid}`, price: request.amount, currency: request.currency }],
          callback_uri: callbackUri,
          auto_confirm: false,
        },
      });
      return this.withOrder(observationOf(await this.client.transaction(order.transaction_key)), order.id);
    } catch (error) {
      throw error instanceof PayseraRefusal ? ApplicationFailure.nonRetryable(error.message, 'provider_rejected') : error;
    }
  }

  async observe(_payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    return observationOf(await this.client.transaction(referenceValue(reference, 'transaction_key', 'Paysera')));
  }

  /** Confirms the reservation; a lower amount confirms less (Paysera's partial capture). */
  async capture(payment: ProviderPaymentContext, reference: Reference, amount: number | null): Promise<ProviderObservation> {
    const key = referenceValue(reference, 'transaction_key', 'Paysera');
    const current = await this.client.transaction(key);
    if (current.status === 'reserved') {
      const [first] = current.payments;
      const lower = amount !== null && first && amount < first.price ? { [first.id]: { price: amount, currency: payment.request.currency } } : undefined;
      try {
        await this.client.confirmTransaction(key, lower);
      } catch (error) {
        // A confirm whose answer was lost comes back invalid_state: the transaction decides.
        if (!(error instanceof PayseraRefusal) || error.status !== 409) throw error;
      }
    }
    const after = observationOf(await this.client.transaction(key));
    if (after.status !== 'captured') throw ApplicationFailure.nonRetryable(`Paysera transaction is ${after.detail}, not confirmed`, 'capture_refused');
    return after;
  }

  /** Revokes the transaction and removes the order; a confirmed one is the truth and is reported. */
  async cancel(_payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    const key = referenceValue(reference, 'transaction_key', 'Paysera');
    try {
      await this.client.revokeTransaction(key);
    } catch (error) {
      if (!(error instanceof PayseraRefusal) || error.status !== 409) throw error;
    }
    const after = observationOf(await this.client.transaction(key));
    if (after.status === 'cancelled') {
      await this.client.deleteOrder(number(reference, 'order_id')).catch((error: unknown) => {
        if (!(error instanceof PayseraRefusal)) throw error;
      });
    }
    return after;
  }

  /** Cancelling the confirmed payment returns everything; Paysera documents no partial refund. */
  async refund(_payment: ProviderPaymentContext, reference: Reference, _refund: RefundCommand): Promise<void> {
    for (const paymentId of referenceValue(reference, 'payment_ids', 'Paysera').split(',')) {
      try {
        await this.client.cancelPayment(Number(paymentId));
      } catch (error) {
        if (!(error instanceof PayseraRefusal)) throw error;
        const current = await this.client.payment(Number(paymentId));
        if (current.status !== 'canceled') throw ApplicationFailure.nonRetryable(`Paysera cannot cancel payment ${paymentId} (${current.status}): ${error.description}`, 'refund_refused');
      }
    }
  }

  /** The table is settled: close the spot (its pending orders close with it). */
  async finish(_payment: ProviderPaymentContext, reference: Reference): Promise<void> {
    try {
      await this.client.closeSpot(number(reference, 'spot_id'));
    } catch (error) {
      if (!(error instanceof PayseraRefusal) || error.status !== 409) throw error;
    }
  }

  /** Closes spots customers checked in at whose identifiers the merchant never printed. */
  async closeForgedSpots(): Promise<string> {
    // Without a list nothing is forged (and the watcher is not started); never close every table.
    if (this.settings.knownSpots === null) return 'PAYSERA_SPOTS is unset: no spot is forged';
    const closed: string[] = [];
    for (const status of ['waiting', 'open'] as const) {
      for (const spot of (await this.client.spots({ status, limit: 100 })).spots) {
        if (isKnownSpot(this.settings.knownSpots, spot.identifier)) continue;
        await this.client.closeSpot(spot.id);
        closed.push(`${spot.id}:${spot.identifier ?? '?'}`);
      }
    }
    return closed.length > 0 ? `closed forged spots ${closed.join(', ')}` : 'no forged spots';
  }

  /** At our location (when Paysera says which) and, with PAYSERA_SPOTS set, one of the printed ones. */
  private isOwnSpot(spot: Spot): boolean {
    const locationId = spot.place_info?.location_id;
    return (locationId === undefined || locationId === this.settings.locationId) && isKnownSpot(this.settings.knownSpots, spot.identifier);
  }

  private async spotOf(payment: ProviderPaymentContext): Promise<Spot> {
    const { spot_id: id, spot_code: code } = payment.request.provider_options;
    try {
      return id !== undefined ? await this.client.spot(Number(id)) : await this.client.spotByCode(code ?? '');
    } catch (error) {
      throw error instanceof PayseraRefusal ? ApplicationFailure.nonRetryable(`Paysera does not know that spot: ${error.message}`, 'unknown_spot') : error;
    }
  }

  private withOrder(observation: ProviderObservation, orderId: number): ProviderObservation {
    return { ...observation, private_reference: { ...observation.private_reference, order_id: String(orderId) } };
  }
}
