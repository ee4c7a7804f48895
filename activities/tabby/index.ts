/** Tabby as one provider module: adapter, create-request rules and webhook verification. */
import type { ProviderModule } from '../provider';
import { providerOptions, textOption } from '../provider-options';
import { TabbyAdapter, type TabbySettings } from './adapter';
import { verifyTabbyWebhook, type TabbyWebhookSecret } from './webhook';

export interface TabbyModuleConfig extends TabbySettings {
  webhook: TabbyWebhookSecret;
  /** Tabby: never cancel a session before 180 s (configurable only so tests can run in seconds). */
  minTimeoutSeconds: number;
}

const degrees = (limit: number) => {
  const message = `must be a decimal degree between -${limit} and ${limit}`;
  return textOption().regex(/^-?\d{1,3}(\.\d+)?$/, message).refine((value) => Math.abs(Number(value)) <= limit, message);
};

/** The terminal's location, sent to Tabby as the payment's attachment. */
const options = providerOptions('Tabby', { latitude: degrees(90).optional(), longitude: degrees(180).optional() })
  .refine((given) => (given.latitude === undefined) === (given.longitude === undefined), { error: 'latitude and longitude come together' });

export function tabbyModule(config: TabbyModuleConfig): ProviderModule {
  return {
    adapter: new TabbyAdapter(config),
    rules: {
      currencies: ['AED', 'SAR', 'KWD'],
      defaultTimeoutSeconds: Math.max(300, config.minTimeoutSeconds),
      minTimeoutSeconds: config.minTimeoutSeconds,
      // Tabby keeps a session open for 20 minutes by default.
      maxTimeoutSeconds: 1200,
      options,
    },
    verifyWebhook: (webhook) => verifyTabbyWebhook(webhook, config.webhook),
  };
}
