/** Tabby as one provider module: adapter, create-request rules and webhook verification. */
import type { FieldError, ProviderModule } from '../provider';
import { TabbyAdapter, type TabbySettings } from './adapter';
import { verifyTabbyWebhook, type TabbyWebhookSecret } from './webhook';

export interface TabbyModuleConfig extends TabbySettings {
  webhook: TabbyWebhookSecret;
  /** Tabby: never cancel a session before 180 s (configurable only so tests can run in seconds). */
  minTimeoutSeconds: number;
}

const OPTIONS = ['latitude', 'longitude'];

function checkOptions(options: Record<string, string>): FieldError[] {
  const errors = Object.keys(options)
    .filter((key) => !OPTIONS.includes(key))
    .map((key) => ({ field: `provider_options.${key}`, message: `is not a Tabby option (known: ${OPTIONS.join(', ')})` }));
  const coordinate = (key: 'latitude' | 'longitude', limit: number) => {
    const value = options[key];
    if (value === undefined) return;
    if (!/^-?\d{1,3}(\.\d+)?$/.test(value) || Math.abs(Number(value)) > limit) {
      errors.push({ field: `provider_options.${key}`, message: `must be a decimal degree between -${limit} and ${limit}` });
    }
  };
  coordinate('latitude', 90);
  coordinate('longitude', 180);
  if ((options.latitude === undefined) !== (options.longitude === undefined)) {
    errors.push({ field: 'provider_options', message: 'latitude and longitude come together' });
  }
  return errors;
}

export function tabbyModule(config: TabbyModuleConfig): ProviderModule {
  return {
    adapter: new TabbyAdapter(config),
    rules: {
      currencies: ['AED', 'SAR', 'KWD'],
      defaultTimeoutSeconds: Math.max(300, config.minTimeoutSeconds),
      minTimeoutSeconds: config.minTimeoutSeconds,
      // Tabby keeps a session open for 20 minutes by default.
      maxTimeoutSeconds: 1200,
      check: (request) => checkOptions(request.provider_options),
    },
    verifyWebhook: (webhook) => verifyTabbyWebhook(webhook, config.webhook),
  };
}
