/** The built-in Tabby sandbox: it knows our secret key and branch, and sends webhooks with our registered header. */
import { randomBytes } from 'node:crypto';
import { startTabbySandbox } from '../../src/sandboxes/tabby';
import type { ProviderSandbox } from '../provider-plugin';
import { sandboxSecret } from '../sandbox-credentials';

export const tabbySandbox: ProviderSandbox = {
  defaultPort: 8092,
  async start(options) {
    const identity = { secretKey: `sk_test_${randomBytes(16).toString('hex')}`, merchantCode: 'sandbox-branch', webhookHeader: 'X-Tabby-Webhook-Secret', webhookSecret: sandboxSecret(24) };
    const sandbox = await startTabbySandbox({
      secretKey: identity.secretKey,
      merchantCodes: [identity.merchantCode],
      webhooks: [{ url: options.webhookUrl, header: { title: identity.webhookHeader, value: identity.webhookSecret } }],
    }, options.port, options.host);
    return {
      url: sandbox.url,
      hint: "checkout page at the QR's web_url",
      customerPage: null,
      env: {
        TABBY_BASE_URL: sandbox.url,
        TABBY_SECRET_KEY: identity.secretKey,
        TABBY_MERCHANT_CODE: identity.merchantCode,
        TABBY_WEBHOOK_HEADER: identity.webhookHeader,
        TABBY_WEBHOOK_SECRET: identity.webhookSecret,
      },
      close: () => sandbox.close(),
    };
  },
};
