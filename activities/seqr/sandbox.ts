/** The built-in SEQR sandbox: it knows our reseller; terminals are registered through the service itself. */
import { startSeqrSandbox } from '../../src/sandboxes/seqr';
import { CUSTOMER_PAGE_PATH } from '../../src/sandboxes/shared/customer-page';
import type { ProviderSandbox } from '../provider-plugin';
import { sandboxSecret, sandboxSetting } from '../sandbox-credentials';

export const seqrSandbox: ProviderSandbox = {
  defaultPort: 8093,
  async start(options) {
    const reseller = { id: 'sandbox-reseller', userId: '9900', password: sandboxSecret(12) };
    // SEQR reverses a paid invoice nobody polls within 20 s; tests shorten it.
    const reversalSeconds = sandboxSetting(options.env, 'SEQR_SANDBOX_REVERSAL_SECONDS');
    const sandbox = await startSeqrSandbox({ resellers: [reseller], reversalSeconds }, options.port, options.host);
    return {
      url: sandbox.url,
      hint: `SOAP endpoint; customer page ${CUSTOMER_PAGE_PATH}; customer actions under /_sandbox/`,
      customerPage: `${sandbox.url}${CUSTOMER_PAGE_PATH}`,
      env: {
        SEQR_BASE_URL: sandbox.endpoint,
        SEQR_RESELLER_ID: reseller.id,
        SEQR_RESELLER_USER_ID: reseller.userId,
        SEQR_RESELLER_PASSWORD: reseller.password,
        SEQR_TERMINAL_SECRET: sandboxSecret(24),
      },
      close: () => sandbox.close(),
    };
  },
};
