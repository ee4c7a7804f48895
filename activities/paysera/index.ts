/** Paysera as one provider module: adapter, rules, callback verification, the spots view and the forged-spot sweep. */
import { Router } from 'express';
import { z } from 'zod';
import type { ProviderModule } from '../provider';
import { isKnownSpot, PayseraAdapter, type PayseraSettings } from './adapter';
import { verifyPayseraCallback } from './webhook';
import { SPOT_STATUSES } from './wire';

export interface PayseraModuleConfig extends PayseraSettings {
  callbackPublicKeyPem: string;
  watchIntervalMs: number;
}

const OPTIONS = ['spot_id', 'spot_code'];

export function payseraModule(config: PayseraModuleConfig): ProviderModule {
  const adapter = new PayseraAdapter(config);
  return {
    adapter,
    rules: {
      currencies: ['EUR'],
      defaultTimeoutSeconds: 600,
      minTimeoutSeconds: 5,
      maxTimeoutSeconds: 3600,
      check: ({ provider_options: options }) => {
        const errors = Object.keys(options)
          .filter((key) => !OPTIONS.includes(key))
          .map((key) => ({ field: `provider_options.${key}`, message: `is not a Paysera option (known: ${OPTIONS.join(', ')})` }));
        if ((options.spot_id === undefined) === (options.spot_code === undefined)) {
          errors.push({ field: 'provider_options', message: 'name the table with exactly one of spot_id or spot_code' });
        }
        if (options.spot_id !== undefined && !/^\d{1,12}$/.test(options.spot_id)) errors.push({ field: 'provider_options.spot_id', message: 'must be a number' });
        if (options.spot_code !== undefined && !/^PAYSERA\*\d+:[A-Za-z0-9 ]{1,64}$/.test(options.spot_code)) {
          errors.push({ field: 'provider_options.spot_code', message: 'must look like PAYSERA*<location>:<identifier>' });
        }
        return errors;
      },
    },
    verifyWebhook: (webhook) => verifyPayseraCallback(webhook, config.callbackPublicKeyPem),
    housekeeping: { intervalMs: config.watchIntervalMs, sweep: () => adapter.closeForgedSpots() },
    routes: () => {
      // GET /v1/paysera/spots?status=waiting: which tables have customers checked in.
      const router = Router();
      router.get('/spots', async (req, res) => {
        const query = z.object({ status: z.enum(SPOT_STATUSES).default('waiting') }).parse(req.query);
        const { spots } = await adapter.client.spots({ status: query.status, limit: 100 });
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
