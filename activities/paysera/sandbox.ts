/**
 * The built-in Paysera sandbox: it accepts our MAC credentials, signs callbacks with its own key,
 * and knows the tables the merchant printed; any other spot code is a forged one.
 */
import { startPayseraSandbox } from '../../src/sandboxes/paysera';
import { CUSTOMER_PAGE_PATH } from '../../src/sandboxes/shared/customer-page';
import type { ProviderSandbox } from '../provider-plugin';
import { rsaKeyPair, sandboxSecret } from '../sandbox-credentials';

export const payseraSandbox: ProviderSandbox = {
  defaultPort: 8094,
  async start(options) {
    const identity = { clientId: 'sandbox-client', macKey: sandboxSecret(24), locationId: 3 };
    const spots = Array.from({ length: 10 }, (_, index) => `TABLE${index + 1}`);
    const keys = rsaKeyPair();
    const sandbox = await startPayseraSandbox({
      clients: [{ clientId: identity.clientId, macKey: identity.macKey }],
      callbackPrivateKeyPem: keys.privateKey,
      locationId: identity.locationId,
      knownSpots: spots,
    }, options.port, options.host);
    return {
      url: sandbox.url,
      hint: `tables TABLE1…TABLE10 at location ${identity.locationId}; customer page ${CUSTOMER_PAGE_PATH}; customer actions under /_sandbox/`,
      customerPage: `${sandbox.url}${CUSTOMER_PAGE_PATH}`,
      env: {
        PAYSERA_BASE_URL: sandbox.url,
        PAYSERA_CLIENT_ID: identity.clientId,
        PAYSERA_MAC_KEY: identity.macKey,
        PAYSERA_LOCATION_ID: String(identity.locationId),
        PAYSERA_CALLBACK_PUBLIC_KEY: keys.publicKey,
        PAYSERA_SPOTS: spots.join(','),
      },
      close: () => sandbox.close(),
    };
  },
};
