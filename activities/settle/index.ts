/** Settle as one provider module: adapter, create-request rules and webhook verification. */
import { ID_PATTERN } from '../../workflows/ids';
import type { ProviderModule } from '../provider';
import { SettleAdapter, type SettleSettings } from './adapter';
import { verifySettleWebhook } from './webhook';

export interface SettleModuleConfig extends SettleSettings {
  callbackPublicKeyPem: string;
}

const OPTIONS = ['shortlink_id'];

export function settleModule(config: SettleModuleConfig): ProviderModule {
  return {
    adapter: new SettleAdapter(config),
    rules: {
      currencies: ['NOK', 'EUR', 'SEK', 'DKK', 'GBP'],
      defaultTimeoutSeconds: 120,
      minTimeoutSeconds: 5,
      // Settle keeps a pending request for at most 30 days (`expires_in` ≤ 2592000).
      maxTimeoutSeconds: 2_592_000,
      check: (request) => [
        ...Object.keys(request.provider_options)
          .filter((key) => !OPTIONS.includes(key))
          .map((key) => ({ field: `provider_options.${key}`, message: `is not a Settle option (known: ${OPTIONS.join(', ')})` })),
        ...(request.provider_options.shortlink_id !== undefined && !ID_PATTERN.test(request.provider_options.shortlink_id)
          ? [{ field: 'provider_options.shortlink_id', message: 'must match ^[a-zA-Z0-9_.-]{1,64}$' }]
          : []),
      ],
    },
    verifyWebhook: (webhook) => verifySettleWebhook(webhook, config.callbackPublicKeyPem),
  };
}
