/**
 * The worker side of `GET /v1/paysera/spots`: which tables have customers checked in. `known` says
 * whether a payment may name the spot: listed in PAYSERA_SPOTS, or, with PAYSERA_SPOTS unset, true
 * for every spot that has an identifier (all of the location's are the merchant's). Scoped to the
 * calling merchant (spot-visibility.ts). It runs on a worker (through the provider-read workflow)
 * because listing spots takes Paysera's MAC credentials, which the ingress does not hold.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import type { ProviderRead } from '../provider-plugin';
import { isKnownSpot, type PayseraAdapter } from './adapter';
import { SpotVisibility } from './spot-visibility';
import { SPOT_STATUSES } from './wire';

export const spotsQuery = z.strictObject({ status: z.enum(SPOT_STATUSES).default('waiting') });

export interface SpotView {
  id: number;
  status: string;
  identifier: string | null;
  known: boolean;
  code: string | null;
}

export interface SpotsReadSettings {
  locationId: number;
  knownSpots: readonly string[] | null;
  /** PAYSERA_MERCHANTS: the merchants allowed at the location; null: every merchant. */
  merchants: readonly string[] | null;
}

export function spotsRead(adapter: PayseraAdapter, settings: SpotsReadSettings): ProviderRead {
  const visibility = new SpotVisibility(adapter.client, settings.merchants);
  return async (input, merchantId): Promise<SpotView[]> => {
    const query = spotsQuery.parse(input);
    let spots;
    try {
      spots = await visibility.visible((await adapter.client.spots({ status: query.status, limit: 100 })).spots, merchantId);
    } catch (error) {
      throw ApplicationFailure.nonRetryable(`Paysera did not answer the spot listing: ${String((error as Error).message).slice(0, 200)}`, 'provider_unavailable');
    }
    return spots.map((spot) => ({
      id: spot.id,
      status: spot.status,
      identifier: spot.identifier ?? null,
      known: isKnownSpot(settings.knownSpots, spot.identifier),
      code: spot.identifier ? `PAYSERA*${settings.locationId}:${spot.identifier.toUpperCase()}` : null,
    }));
  };
}
