/** Tabby as one plugin: its variables, adapter, create-request rules, webhook verification and sandbox. */
import { z } from 'zod';
import { pollIntervalMs } from '../../src/provider-config';
import { definePlugin, secret, setting } from '../provider-plugin';
import { providerOptions, textOption } from '../provider-options';
import { TabbyAdapter } from './adapter';
import { tabbySandbox } from './sandbox';
import { verifyTabbyWebhook } from './webhook';

/** A coordinate as a JSON number or a decimal string (`25.2` and `"25.2"` are the same request), kept as its string. */
const degrees = (limit: number) => {
  const message = `must be a decimal degree between -${limit} and ${limit}, such as 25.2 or "25.2"`;
  return z
    .union([z.number().transform(String), textOption()], { error: message })
    .pipe(z.string().regex(/^-?\d{1,3}(\.\d+)?$/, message).refine((value) => Math.abs(Number(value)) <= limit, message));
};

/** The terminal's location, sent to Tabby as the payment's attachment. */
const options = providerOptions('Tabby', { latitude: degrees(90).optional(), longitude: degrees(180).optional() })
  .refine((given) => (given.latitude === undefined) === (given.longitude === undefined), { error: 'latitude and longitude come together' });

export const tabbyPlugin = definePlugin({
  name: 'tabby',
  title: 'Tabby',
  enabledBy: 'TABBY_BASE_URL',
  variables: {
    TABBY_BASE_URL: setting('both', 'scheme and host of the Tabby API; Tabby is enabled when set', z.url({ error: 'TABBY_BASE_URL must be the scheme and host of the Tabby API' })),
    TABBY_SECRET_KEY: secret('worker', 'Bearer secret key', z.string().min(1)),
    TABBY_MERCHANT_CODE: setting('worker', 'branch code sent as `merchant_code`', z.string().min(1)),
    TABBY_WEBHOOK_HEADER: setting('ingress', 'the header name registered with Tabby’s webhook', z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be an HTTP header name')),
    TABBY_WEBHOOK_SECRET: secret('ingress', 'the header value registered with Tabby’s webhook (≥ 16 characters)', z.string().min(16, 'must be at least 16 characters')),
    TABBY_POLL_INTERVAL_MS: setting('worker', 'payment poll cadence', pollIntervalMs(5000)),
    // Tabby: never cancel a session before 180 s (configurable only so tests can run in seconds).
    TABBY_MIN_TIMEOUT_SECONDS: setting('ingress', 'lowest `timeout_seconds` accepted for Tabby (Tabby: never below 180)', z.coerce.number().int().positive().default(180)),
  },
  worker: (config, context) => ({
    adapter: new TabbyAdapter({
      baseUrl: config.TABBY_BASE_URL,
      secretKey: config.TABBY_SECRET_KEY,
      merchantCode: config.TABBY_MERCHANT_CODE,
      requestTimeoutMs: context.requestTimeoutMs,
      pollIntervalMs: config.TABBY_POLL_INTERVAL_MS,
    }),
  }),
  ingress: (config) => ({
    rules: {
      currencies: ['AED', 'SAR', 'KWD'],
      defaultTimeoutSeconds: Math.max(300, config.TABBY_MIN_TIMEOUT_SECONDS),
      minTimeoutSeconds: config.TABBY_MIN_TIMEOUT_SECONDS,
      // Tabby keeps a session open for 20 minutes by default.
      maxTimeoutSeconds: 1200,
      options,
    },
    verifyWebhook: (webhook) => verifyTabbyWebhook(webhook, { header: config.TABBY_WEBHOOK_HEADER, value: config.TABBY_WEBHOOK_SECRET }),
  }),
  sandbox: tabbySandbox,
});
