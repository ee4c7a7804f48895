/**
 * The built-in sandboxes as providers the service can be pointed at. Each starter runs one sandbox
 * with fresh credentials and answers the contract's environment variables (shared/spec/pos-api.md,
 * "Configuration") that configure the service for it — exactly what an integrator would set for the
 * real provider. `npm start` uses them for every provider whose base URL is not set; `npm run
 * sandboxes` runs them as a process of their own.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ProviderName } from '../workflows/payment';
import { CUSTOMER_PAGE_PATH } from './sandboxes/shared/customer-page';
import { startPayseraSandbox } from './sandboxes/paysera';
import { startSeqrSandbox } from './sandboxes/seqr';
import { startSettleSandbox } from './sandboxes/settle';
import { startTabbySandbox } from './sandboxes/tabby';

export interface SandboxOptions {
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Where the sandbox sends callbacks: the service's `PUBLIC_BASE_URL`. */
  publicBaseUrl: string;
  /** Settle: how long an authorization stays valid (Settle: 3 days). */
  settleAuthValiditySeconds?: number;
  /** SEQR reverses a paid invoice nobody polls within this many seconds (SEQR: 20). */
  seqrReversalSeconds?: number;
}

export interface RunningSandbox {
  provider: ProviderName;
  url: string;
  /** The contract's variables that point the service at this sandbox, credentials included. */
  env: Record<string, string>;
  /** One line for people: where to play the customer. */
  hint: string;
  /**
   * The sandbox's customer page (`?qr=<QR content>` opens it on that code), for the demo till to
   * link; null where the QR's content is itself the customer's page (Tabby's checkout).
   */
  customerPage: string | null;
  close(): Promise<void>;
}

/** `npm start` and `npm run sandboxes` put the sandboxes here unless `<PROVIDER>_SANDBOX_PORT` says otherwise. */
const DEFAULT_PORT: Record<ProviderName, number> = { settle: 8091, tabby: 8092, seqr: 8093, paysera: 8094 };

export function sandboxPort(provider: ProviderName, env: Record<string, string | undefined>): number {
  const name = `${provider.toUpperCase()}_SANDBOX_PORT`;
  const value = env[name];
  if (value === undefined) return DEFAULT_PORT[provider];
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (0 picks a free one)`);
  return port;
}

const rsaKeyPair = () => generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const secret = (bytes: number) => randomBytes(bytes).toString('base64url');

/** The sandbox plays Settle: it knows our user's public key and signs callbacks with its own key. */
async function settle(options: SandboxOptions): Promise<RunningSandbox> {
  const ours = rsaKeyPair();
  const settles = rsaKeyPair();
  const identity = { merchantId: 'sandbox-merchant', userId: 'pos-service', secret: secret(18), shortlinkId: 'sndbxQR' };
  const sandbox = await startSettleSandbox({
    merchantId: identity.merchantId,
    userId: identity.userId,
    secret: identity.secret,
    userPublicKeyPem: ours.publicKey,
    callbackPrivateKeyPem: settles.privateKey,
    shortlinks: [{ id: identity.shortlinkId, callbackUri: `${options.publicBaseUrl}/v1/webhooks/settle` }],
    authValiditySeconds: options.settleAuthValiditySeconds,
  }, options.port, options.host);
  return {
    provider: 'settle',
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
}

/** The Tabby sandbox knows our secret key and branch, and sends webhooks with our registered header. */
async function tabby(options: SandboxOptions): Promise<RunningSandbox> {
  const identity = { secretKey: `sk_test_${randomBytes(16).toString('hex')}`, merchantCode: 'sandbox-branch', webhookHeader: 'X-Tabby-Webhook-Secret', webhookSecret: secret(24) };
  const sandbox = await startTabbySandbox({
    secretKey: identity.secretKey,
    merchantCodes: [identity.merchantCode],
    webhooks: [{ url: `${options.publicBaseUrl}/v1/webhooks/tabby`, header: { title: identity.webhookHeader, value: identity.webhookSecret } }],
  }, options.port, options.host);
  return {
    provider: 'tabby',
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
}

/** The SEQR sandbox knows our reseller; terminals are registered through the service itself. */
async function seqr(options: SandboxOptions): Promise<RunningSandbox> {
  const reseller = { id: 'sandbox-reseller', userId: '9900', password: secret(12) };
  const sandbox = await startSeqrSandbox({ resellers: [reseller], reversalSeconds: options.seqrReversalSeconds }, options.port, options.host);
  return {
    provider: 'seqr',
    url: sandbox.url,
    hint: `SOAP endpoint; customer page ${CUSTOMER_PAGE_PATH}; customer actions under /_sandbox/`,
    customerPage: `${sandbox.url}${CUSTOMER_PAGE_PATH}`,
    env: {
      SEQR_BASE_URL: sandbox.endpoint,
      SEQR_RESELLER_ID: reseller.id,
      SEQR_RESELLER_USER_ID: reseller.userId,
      SEQR_RESELLER_PASSWORD: reseller.password,
      SEQR_TERMINAL_SECRET: secret(24),
    },
    close: () => sandbox.close(),
  };
}

/**
 * The Paysera sandbox accepts our MAC credentials, signs callbacks with its own key, and knows the
 * tables the merchant printed; any other spot code is a forged one.
 */
async function paysera(options: SandboxOptions): Promise<RunningSandbox> {
  const identity = { clientId: 'sandbox-client', macKey: secret(24), locationId: 3 };
  const spots = Array.from({ length: 10 }, (_, index) => `TABLE${index + 1}`);
  const keys = rsaKeyPair();
  const sandbox = await startPayseraSandbox({
    clients: [{ clientId: identity.clientId, macKey: identity.macKey }],
    callbackPrivateKeyPem: keys.privateKey,
    locationId: identity.locationId,
    knownSpots: spots,
  }, options.port, options.host);
  return {
    provider: 'paysera',
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
}

const STARTERS: Record<ProviderName, (options: SandboxOptions) => Promise<RunningSandbox>> = { settle, tabby, seqr, paysera };

/** Starts the sandboxes of `providers` in order, each on its own port; on a failure closes those already started. */
export async function startSandboxes(providers: readonly ProviderName[], options: (provider: ProviderName) => SandboxOptions): Promise<RunningSandbox[]> {
  const running: RunningSandbox[] = [];
  try {
    for (const provider of providers) running.push(await STARTERS[provider](options(provider)));
    return running;
  } catch (error) {
    await Promise.all(running.map((sandbox) => sandbox.close()));
    throw error;
  }
}
