/**
 * A stack whose Settle is an "external" server started here, so the test file holds Settle's
 * callback signing key and can sign callbacks of its own (over any URL it likes). The ingress port
 * is fixed first: Settle registers the callback URL, and signs over it.
 */
import { generateKeyPairSync } from 'node:crypto';
import { after, before } from 'node:test';
import { signRequest } from '../../activities/settle/signature';
import { startSettleSandbox, type RunningSettleSandbox } from '../../src/sandboxes/settle';
import { freePort, startStack, type RunningStack } from '../../src/stack';
import { FAST_TIMINGS } from './e2e-stack';
import { call, type TestResponse } from './http';
import { SettleCustomer } from './settle-customer';

const rsa = () => generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });

export interface ExternalSettleStack {
  stack: RunningStack;
  publicBaseUrl: string;
  /** The customer at the Settle started here. */
  settle: SettleCustomer;
  /**
   * A callback signed with Settle's key over `signedUrl` (default: our webhook URL) at `signedAt`
   * (default: now), POSTed to our Settle webhook.
   */
  settleCallback(body: string, signing?: { signedUrl?: string; signedAt?: Date }): Promise<TestResponse>;
}

/** Registers `before`/`after` hooks; `name` tells this file's Settle merchant and shortlink apart. */
export function useExternalSettleStack(name: string, env: Record<string, string> = {}): () => ExternalSettleStack {
  const ours = rsa();
  const settles = rsa();
  const shortlink = `${name}QR`;
  let settleSandbox: RunningSettleSandbox | undefined;
  let world: ExternalSettleStack | undefined;
  before(async () => {
    const port = await freePort();
    const publicBaseUrl = `http://127.0.0.1:${port}`;
    const credentials = { merchantId: `${name}-merchant`, userId: 'pos-service', secret: `${name}-secret-0123456789` };
    settleSandbox = await startSettleSandbox({
      ...credentials,
      userPublicKeyPem: ours.publicKey,
      callbackPrivateKeyPem: settles.privateKey,
      shortlinks: [{ id: shortlink, callbackUri: `${publicBaseUrl}/v1/webhooks/settle` }],
    });
    const stack = await startStack({
      ingressPort: port,
      temporalPort: 0,
      uiPort: null,
      env: {
        POS_API_KEYS: 'key-a=m-a,key-b=m-b',
        ...FAST_TIMINGS,
        ...env,
        PUBLIC_BASE_URL: publicBaseUrl,
        SETTLE_BASE_URL: settleSandbox.merchantApiBase,
        SETTLE_MERCHANT_ID: credentials.merchantId,
        SETTLE_USER_ID: credentials.userId,
        SETTLE_SECRET: credentials.secret,
        SETTLE_PRIVATE_KEY: ours.privateKey,
        SETTLE_CALLBACK_PUBLIC_KEY: settles.publicKey,
        SETTLE_SHORTLINK_ID: shortlink,
      },
    });
    world = {
      stack,
      publicBaseUrl,
      settle: new SettleCustomer(settleSandbox.url, shortlink),
      settleCallback(body, { signedUrl = `${publicBaseUrl}/v1/webhooks/settle`, signedAt = new Date() } = {}) {
        const headers = { ...signRequest({ method: 'POST', url: signedUrl, body, identity: {}, privateKeyPem: settles.privateKey, now: signedAt }), 'Content-Type': 'application/json' };
        return call('POST', `${stack.ingressUrl}/v1/webhooks/settle`, { raw: body, headers });
      },
    };
  });
  after(async () => {
    await world?.stack.stop();
    await settleSandbox?.close();
  });
  return () => {
    if (!world) throw new Error('the stack is not running');
    return world;
  };
}
