/**
 * Paysera as one plugin: its variables, adapter, the forged-spot sweep and the spots read on the
 * worker; create-request rules, callback verification and the spots route on the ingress; sandbox.
 */
import { Router } from 'express';
import { z } from 'zod';
import { ConfigError } from '../../src/config';
import { merchantOf } from '../../src/ingress/auth';
import { problem, readErrors } from '../../src/ingress/openapi';
import { parseQuery } from '../../src/ingress/query';
import { pemVariable, pollIntervalMs } from '../../src/provider-config';
import { definePlugin, secret, setting, type ProviderWorker } from '../provider-plugin';
import { integerIdOption, providerOptions, textOption } from '../provider-options';
import { PayseraAdapter } from './adapter';
import { payseraSandbox } from './sandbox';
import { spotsQuery, spotsRead } from './spots-read';
import { verifyPayseraCallback } from './webhook';
import { SPOT_STATUSES } from './wire';

/** The table is named by Paysera's integer spot id or by its printed code, exactly one of them. */
const options = providerOptions('Paysera', {
  spot_id: integerIdOption('Paysera’s spot id').optional(),
  spot_code: textOption().regex(/^PAYSERA\*\d+:[A-Za-z0-9 ]{1,64}$/, 'must look like PAYSERA*<location>:<identifier>').optional(),
}).refine((given) => (given.spot_id === undefined) !== (given.spot_code === undefined), { error: 'name the table with exactly one of spot_id or spot_code' });

/** `TABLE1,TABLE2` → the identifiers; unset or blank → null: no list, every spot of the location is the merchant's. */
const spotList = z.string().optional().transform((value) => {
  if (value === undefined || value.trim() === '') return null;
  const spots = value.split(',').map((spot) => spot.trim()).filter(Boolean);
  if (spots.length === 0) throw new ConfigError('PAYSERA_SPOTS lists no spot identifier: list them (e.g. TABLE1,TABLE2) or leave it unset to accept every spot');
  return spots;
});

/** `m-a,m-b` → the merchant ids; unset or blank → null: every merchant of POS_API_KEYS is allowed at the location. */
const merchantList = z.string().optional().transform((value) => {
  if (value === undefined || value.trim() === '') return null;
  const merchants = value.split(',').map((merchant) => merchant.trim()).filter(Boolean);
  if (merchants.length === 0 || !merchants.every((merchant) => /^[a-zA-Z0-9_.-]{1,64}$/.test(merchant))) {
    throw new ConfigError('PAYSERA_MERCHANTS must list merchant ids (as in POS_API_KEYS), e.g. m-a,m-b, or be left unset for every merchant');
  }
  return merchants;
});

/** The forged-spot watcher needs the list of printed spots; without one it is off, and the worker says so. */
function housekeepingOf(adapter: PayseraAdapter, knownSpots: readonly string[] | null, locationId: number, watchIntervalMs: number): ProviderWorker['housekeeping'] {
  if (knownSpots === null) {
    return { off: `PAYSERA_SPOTS is unset: every spot of location ${locationId} is accepted and no spot is closed as forged` };
  }
  return { intervalMs: watchIntervalMs, sweep: () => adapter.closeForgedSpots() };
}

export const payseraPlugin = definePlugin({
  name: 'paysera',
  title: 'Paysera',
  enabledBy: 'PAYSERA_BASE_URL',
  variables: {
    PAYSERA_BASE_URL: setting('both', 'scheme and host of the Wallet API; Paysera is enabled when set', z.url({ error: 'PAYSERA_BASE_URL must be the scheme and host of the Paysera Wallet API' })),
    PAYSERA_CLIENT_ID: setting('worker', 'the MAC credentials’ client id', z.string().min(1)),
    PAYSERA_MAC_KEY: secret('worker', 'the MAC credentials’ key', z.string().min(1)),
    PAYSERA_LOCATION_ID: setting('worker', 'the location of the printed spot codes', z.coerce.number().int().positive()),
    PAYSERA_CALLBACK_PUBLIC_KEY: setting('ingress', 'PEM or file path; verifies callbacks (Paysera serves it at `/publickey`)', pemVariable('PAYSERA_CALLBACK_PUBLIC_KEY')),
    PAYSERA_SPOTS: setting('worker', 'optional: the spot identifiers the merchant printed; any other spot is refused and closed as forged. Unset: every spot of `PAYSERA_LOCATION_ID` is accepted and the forged-spot watcher is off (the worker says so once at start)', spotList),
    PAYSERA_MERCHANTS: setting('worker', 'optional: the merchant ids (as in `POS_API_KEYS`) allowed at `PAYSERA_LOCATION_ID`; they see its free spots in `GET /v1/paysera/spots`. Unset: every merchant with an API key', merchantList),
    PAYSERA_POLL_INTERVAL_MS: setting('worker', 'spot/transaction poll cadence', pollIntervalMs(1500)),
    PAYSERA_WATCH_INTERVAL_SECONDS: setting('worker', 'forged-spot sweep interval', z.coerce.number().int().positive().default(15)),
  },
  worker: (config, context) => {
    const adapter = new PayseraAdapter({
      baseUrl: config.PAYSERA_BASE_URL,
      clientId: config.PAYSERA_CLIENT_ID,
      macKey: config.PAYSERA_MAC_KEY,
      requestTimeoutMs: context.requestTimeoutMs,
      locationId: config.PAYSERA_LOCATION_ID,
      knownSpots: config.PAYSERA_SPOTS,
      callbackUrl: context.webhookUrl,
      pollIntervalMs: config.PAYSERA_POLL_INTERVAL_MS,
    });
    return {
      adapter,
      housekeeping: housekeepingOf(adapter, config.PAYSERA_SPOTS, config.PAYSERA_LOCATION_ID, config.PAYSERA_WATCH_INTERVAL_SECONDS * 1000),
      reads: { spots: spotsRead(adapter, { locationId: config.PAYSERA_LOCATION_ID, knownSpots: config.PAYSERA_SPOTS, merchants: config.PAYSERA_MERCHANTS }) },
    };
  },
  ingress: (config) => ({
    rules: { currencies: ['EUR'], defaultTimeoutSeconds: 600, minTimeoutSeconds: 5, maxTimeoutSeconds: 3600, options },
    verifyWebhook: (webhook) => verifyPayseraCallback(webhook, config.PAYSERA_CALLBACK_PUBLIC_KEY),
    routes: {
      /**
       * GET /v1/paysera/spots?status=waiting: the tables the calling merchant may see (spots-read.ts),
       * listed by a worker. A bad or unknown query parameter is 422; Paysera failing to answer is 502.
       */
      router: (context) => Router().get('/spots', async (req, res) => {
        const query = parseQuery(spotsQuery, req.query);
        res.json({ data: await context.read('spots', query, merchantOf(res)) });
      }),
      openApi: {
        '/spots': {
          get: {
            summary: 'Paysera tables (spots) of the location the calling merchant may see, read by a worker: a table with our order only to the merchant whose payment made it; one without, to the merchants allowed at the location (PAYSERA_MERCHANTS, default all)',
            parameters: [{ name: 'status', in: 'query', schema: { enum: [...SPOT_STATUSES], default: 'waiting' } }],
            responses: { 200: { description: '{data: [{id, status, identifier, known, code}]}' }, 401: problem('missing or invalid API key'), 422: problem('validation_failed'), 502: problem('provider_unavailable: Paysera did not answer'), ...readErrors },
          },
        },
      },
    },
  }),
  sandbox: payseraSandbox,
});
