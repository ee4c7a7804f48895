/** Settle as one plugin: its variables, adapter, create-request rules, callback verification and sandbox. */
import { z } from 'zod';
import { readPem } from '../../src/config';
import { pemVariable, pollIntervalMs, seconds } from '../../src/provider-config';
import { ID_PATTERN } from '../../workflows/ids';
import { definePlugin, secret, setting } from '../provider-plugin';
import { providerOptions, textOption } from '../provider-options';
import { SettleAdapter } from './adapter';
import { settleSandbox } from './sandbox';
import { verifySettleWebhook } from './webhook';

/** A till's own sticker (shortlink) instead of the merchant's default one. */
const options = providerOptions('Settle', {
  shortlink_id: textOption().regex(ID_PATTERN, 'must match ^[a-zA-Z0-9_.-]{1,64}$').optional(),
});

export const settlePlugin = definePlugin({
  name: 'settle',
  title: 'Settle',
  enabledBy: 'SETTLE_BASE_URL',
  variables: {
    SETTLE_BASE_URL: setting('both', 'up to and including `/merchant/v1/`; Settle is enabled when set', z.url({ error: 'SETTLE_BASE_URL must be a URL up to and including /merchant/v1/' })),
    SETTLE_MERCHANT_ID: setting('worker', 'the merchant of the SECRET-level credentials', z.string().min(1)),
    SETTLE_USER_ID: setting('worker', 'the API user of the SECRET-level credentials', z.string().min(1)),
    SETTLE_SECRET: secret('worker', 'the API user’s secret (SECRET-level calls)', z.string().min(1)),
    SETTLE_PRIVATE_KEY: secret('worker', 'PEM or file path; KEY-level signing (refunds)', z.string().optional().transform((value) => (value ? readPem('SETTLE_PRIVATE_KEY', value) : null))),
    SETTLE_CALLBACK_PUBLIC_KEY: setting('ingress', 'PEM or file path; verifies Settle’s callbacks', pemVariable('SETTLE_CALLBACK_PUBLIC_KEY')),
    SETTLE_SHORTLINK_ID: setting('worker', 'the shortlink whose QR the tills show', z.string().regex(ID_PATTERN)),
    SETTLE_ALLOW_CREDIT: setting('worker', '`allow_credit` on payment requests', z.enum(['true', 'false']).default('false')),
    SETTLE_POLL_INTERVAL_MS: setting('worker', 'outcome poll cadence while the customer decides', pollIntervalMs(1000)),
    SETTLE_REAUTH_BEFORE_SECONDS: setting('worker', 'renew a manual-mode authorization this long before it lapses', seconds('SETTLE_REAUTH_BEFORE_SECONDS', 12 * 3600)),
    // Settle documents no tolerance; 15 minutes is the skew its own API accepts from callers.
    SETTLE_CALLBACK_TOLERANCE_SECONDS: setting('ingress', 'a signed callback whose `X-Settle-Timestamp` is further than this from our clock is refused (401), so a recorded callback cannot be replayed later', seconds('SETTLE_CALLBACK_TOLERANCE_SECONDS', 15 * 60)),
  },
  worker: (config, context) => ({
    adapter: new SettleAdapter({
      baseUrl: config.SETTLE_BASE_URL.endsWith('/') ? config.SETTLE_BASE_URL : `${config.SETTLE_BASE_URL}/`,
      merchantId: config.SETTLE_MERCHANT_ID,
      userId: config.SETTLE_USER_ID,
      secret: config.SETTLE_SECRET,
      privateKeyPem: config.SETTLE_PRIVATE_KEY,
      shortlinkId: config.SETTLE_SHORTLINK_ID,
      allowCredit: config.SETTLE_ALLOW_CREDIT === 'true',
      requestTimeoutMs: context.requestTimeoutMs,
      callbackUrl: context.webhookUrl,
      pollIntervalMs: config.SETTLE_POLL_INTERVAL_MS,
      renewBeforeMs: config.SETTLE_REAUTH_BEFORE_SECONDS * 1000,
    }),
  }),
  ingress: (config) => ({
    rules: {
      currencies: ['NOK', 'EUR', 'SEK', 'DKK', 'GBP'],
      defaultTimeoutSeconds: 120,
      minTimeoutSeconds: 5,
      // Settle keeps a pending request for at most 30 days (`expires_in` ≤ 2592000).
      maxTimeoutSeconds: 2_592_000,
      options,
    },
    verifyWebhook: (webhook) => verifySettleWebhook(webhook, config.SETTLE_CALLBACK_PUBLIC_KEY, config.SETTLE_CALLBACK_TOLERANCE_SECONDS * 1000),
  }),
  sandbox: settleSandbox,
});
