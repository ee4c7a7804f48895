/** Paysera as one provider module: adapter, rules, callback verification, the spots view and the forged-spot sweep. */
import { Router } from 'express';
import { z } from 'zod';
import type { ProviderModule } from '../provider';
import { integerIdOption, providerOptions, textOption } from '../provider-options';
import { isKnownSpot, PayseraAdapter, type PayseraSettings } from './adapter';
import { HttpProblem } from '../../src/ingress/problem';
import { parseQuery } from '../../src/ingress/query';
import { SpotVisibility } from './spot-visibility';
import { verifyPayseraCallback } from './webhook';
import { SPOT_STATUSES } from './wire';

export interface PayseraModuleConfig extends PayseraSettings {
  callbackPublicKeyPem: string;
  watchIntervalMs: number;
  /** PAYSERA_MERCHANTS: the merchants allowed at the location (see spot-visibility.ts); null/absent: every merchant. */
  merchants?: readonly string[] | null;
}

const spotsQuery = z.strictObject({ status: z.enum(SPOT_STATUSES).default('waiting') });

/** The table is named by Paysera's integer spot id or by its printed code, exactly one of them. */
const options = providerOptions('Paysera', {
  spot_id: integerIdOption('Paysera’s spot id').optional(),
  spot_code: textOption().regex(/^PAYSERA\*\d+:[A-Za-z0-9 ]{1,64}$/, 'must look like PAYSERA*<location>:<identifier>').optional(),
}).refine((given) => (given.spot_id === undefined) !== (given.spot_code === undefined), { error: 'name the table with exactly one of spot_id or spot_code' });

/** The forged-spot watcher needs the list of printed spots; without one it is off, and the worker says so. */
function housekeepingOf(config: PayseraModuleConfig, adapter: PayseraAdapter): ProviderModule['housekeeping'] {
  if (config.knownSpots === null) {
    return { off: `PAYSERA_SPOTS is unset: every spot of location ${config.locationId} is accepted and no spot is closed as forged` };
  }
  return { intervalMs: config.watchIntervalMs, sweep: () => adapter.closeForgedSpots() };
}

export function payseraModule(config: PayseraModuleConfig): ProviderModule {
  const adapter = new PayseraAdapter(config);
  return {
    adapter,
    rules: {
      currencies: ['EUR'],
      defaultTimeoutSeconds: 600,
      minTimeoutSeconds: 5,
      maxTimeoutSeconds: 3600,
      options,
    },
    verifyWebhook: (webhook) => verifyPayseraCallback(webhook, config.callbackPublicKeyPem),
    housekeeping: housekeepingOf(config, adapter),
    routes: () => {
      /**
       * GET /v1/paysera/spots?status=waiting: which tables have customers checked in. `known` says
       * whether a payment may name the spot: listed in PAYSERA_SPOTS, or, with PAYSERA_SPOTS unset,
       * true for every spot that has an identifier (all of the location's are the merchant's).
       * Scoped to the calling merchant (spot-visibility.ts): a table with our order on it shows
       * only to the merchant whose payment made the order; one without, to the location's merchants.
       * A bad or unknown query parameter is 422; Paysera failing to answer is 502.
       */
      const router = Router();
      const visibility = new SpotVisibility(adapter.client, config.merchants ?? null);
      router.get('/spots', async (req, res) => {
        const query = parseQuery(spotsQuery, req.query);
        const merchant = typeof res.locals.merchantId === 'string' ? res.locals.merchantId : undefined;
        let spots;
        try {
          spots = await visibility.visible((await adapter.client.spots({ status: query.status, limit: 100 })).spots, merchant);
        } catch (error) {
          throw new HttpProblem(502, 'provider_unavailable', 'Provider unavailable', `Paysera did not answer the spot listing: ${String((error as Error).message).slice(0, 200)}`);
        }
        res.json({
          data: spots.map((spot) => ({
            id: spot.id,
            status: spot.status,
            identifier: spot.identifier ?? null,
            known: isKnownSpot(config.knownSpots, spot.identifier),
            code: spot.identifier ? `PAYSERA*${config.locationId}:${spot.identifier.toUpperCase()}` : null,
          })),
        });
      });
      return router;
    },
  };
}
