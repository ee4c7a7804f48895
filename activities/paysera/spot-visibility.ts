/**
 * Who may see which Paysera spot in `GET /v1/paysera/spots`. Paysera knows nothing of our merchants
 * (one PAYSERA_LOCATION_ID per deployment, shared by every merchant the deployment serves), so the
 * rule is built from what we do know:
 * - a spot carrying one of our orders belongs to the merchant(s) whose payment made that order: our
 *   order's transaction has `callback_uri = <PUBLIC_BASE_URL>/v1/webhooks/paysera?payment=<payment
 *   id>`, and a payment id names its merchant (`pay:<merchant>:<pos_id>:<pos_tid>`). Nobody else
 *   sees that table while the order is on it;
 * - a spot without one of our orders (free, or a customer checked in and waiting for a waiter to
 *   bill them) belongs to the location: it shows to the merchants allowed there, PAYSERA_MERCHANTS
 *   (optional, merchant ids); unset, every merchant with an API key.
 * An order's owner never changes, so it is looked up once per transaction (a bounded cache): a
 * listing costs one Paysera call per order it has not seen before.
 */
import { parsePaymentId } from '../../workflows/ids';
import type { Spot, Transaction } from './wire';

const OWNER_CACHE = 5_000;
const LOOKUPS_AT_ONCE = 8;

/** The merchant whose payment made the order with this callback URL, or null when it is none of ours. */
export function merchantOfCallback(callbackUri: string | false | undefined): string | null {
  if (!callbackUri) return null;
  try {
    const paymentId = new URL(callbackUri).searchParams.get('payment');
    return paymentId === null ? null : (parsePaymentId(paymentId)?.merchantId ?? null);
  } catch {
    return null;
  }
}

/** The rule itself: `owners` are the merchants of our orders on the spot (none: the spot is the location's). */
export function spotVisibleTo(merchant: string | undefined, owners: readonly string[], locationMerchants: readonly string[] | null): boolean {
  if (owners.length > 0) return merchant !== undefined && owners.includes(merchant);
  return locationMerchants === null || (merchant !== undefined && locationMerchants.includes(merchant));
}

export class SpotVisibility {
  /** transaction key → merchant of our payment, or null when the order is not ours. */
  private readonly owners = new Map<string, string | null>();

  constructor(
    private readonly client: { transaction(key: string): Promise<Transaction> },
    private readonly locationMerchants: readonly string[] | null,
  ) {}

  /** The spots `merchant` may see, in the order given. */
  async visible(spots: readonly Spot[], merchant: string | undefined): Promise<Spot[]> {
    const keys = [...new Set(spots.flatMap((spot) => spot.orders.map((order) => order.transaction_key)))].filter((key) => !this.owners.has(key));
    for (let start = 0; start < keys.length; start += LOOKUPS_AT_ONCE) {
      await Promise.all(keys.slice(start, start + LOOKUPS_AT_ONCE).map(async (key) => this.remember(key, merchantOfCallback((await this.client.transaction(key)).callback_uri))));
    }
    return spots.filter((spot) => {
      const owners = spot.orders.map((order) => this.owners.get(order.transaction_key)).filter((owner): owner is string => typeof owner === 'string');
      return spotVisibleTo(merchant, owners, this.locationMerchants);
    });
  }

  private remember(key: string, owner: string | null): void {
    this.owners.delete(key);
    this.owners.set(key, owner);
    if (this.owners.size > OWNER_CACHE) this.owners.delete(this.owners.keys().next().value as string);
  }
}
