/** The built-in Settle sandbox: it knows our user's public key and signs callbacks with its own key. */
import { startSettleSandbox } from '../../src/sandboxes/settle';
import { CUSTOMER_PAGE_PATH } from '../../src/sandboxes/shared/customer-page';
import type { ProviderSandbox } from '../provider-plugin';
import { rsaKeyPair, sandboxSecret, sandboxSetting } from '../sandbox-credentials';

export const settleSandbox: ProviderSandbox = {
  defaultPort: 8091,
  async start(options) {
    const ours = rsaKeyPair();
    const settles = rsaKeyPair();
    const identity = { merchantId: 'sandbox-merchant', userId: 'pos-service', secret: sandboxSecret(18), shortlinkId: 'sndbxQR' };
    const sandbox = await startSettleSandbox({
      merchantId: identity.merchantId,
      userId: identity.userId,
      secret: identity.secret,
      userPublicKeyPem: ours.publicKey,
      callbackPrivateKeyPem: settles.privateKey,
      shortlinks: [{ id: identity.shortlinkId, callbackUri: options.webhookUrl }],
      // Settle: an authorization is valid for 3 days; tests shorten it to see renewals.
      authValiditySeconds: sandboxSetting(options.env, 'SETTLE_SANDBOX_AUTH_VALIDITY_SECONDS'),
    }, options.port, options.host);
    return {
      url: sandbox.url,
      hint: `customer page ${CUSTOMER_PAGE_PATH}; customer actions under /_sandbox/`,
      customerPage: `${sandbox.url}${CUSTOMER_PAGE_PATH}`,
      env: {
        SETTLE_BASE_URL: sandbox.merchantApiBase,
        SETTLE_MERCHANT_ID: identity.merchantId,
        SETTLE_USER_ID: identity.userId,
        SETTLE_SECRET: identity.secret,
        SETTLE_PRIVATE_KEY: ours.privateKey,
        SETTLE_CALLBACK_PUBLIC_KEY: settles.publicKey,
        SETTLE_SHORTLINK_ID: identity.shortlinkId,
      },
      close: () => sandbox.close(),
    };
  },
};
