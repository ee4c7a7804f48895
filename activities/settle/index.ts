/** Settle as one provider module: adapter, create-request rules and webhook verification. */
import { ID_PATTERN } from '../../workflows/ids';
import type { ProviderModule } from '../provider';
import { providerOptions, textOption } from '../provider-options';
import { SettleAdapter, type SettleSettings } from './adapter';
import { verifySettleWebhook } from './webhook';

export interface SettleModuleConfig extends SettleSettings {
  callbackPublicKeyPem: string;
  /** SETTLE_CALLBACK_TOLERANCE_SECONDS in ms: how far a callback's X-Settle-Timestamp may be from our clock. */
  callbackToleranceMs?: number;
}

/** A till's own sticker (shortlink) instead of the merchant's default one. */
const options = providerOptions('Settle', {
  shortlink_id: textOption().regex(ID_PATTERN, 'must match ^[a-zA-Z0-9_.-]{1,64}$').optional(),
});

export function settleModule(config: SettleModuleConfig): ProviderModule {
  return {
    adapter: new SettleAdapter(config),
    rules: {
      currencies: ['NOK', 'EUR', 'SEK', 'DKK', 'GBP'],
      defaultTimeoutSeconds: 120,
      minTimeoutSeconds: 5,
      // Settle keeps a pending request for at most 30 days (`expires_in` ≤ 2592000).
      maxTimeoutSeconds: 2_592_000,
      options,
    },
    verifyWebhook: (webhook) => verifySettleWebhook(webhook, config.callbackPublicKeyPem, config.callbackToleranceMs),
  };
}
