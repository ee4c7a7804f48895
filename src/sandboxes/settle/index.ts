/**
 * Settle sandbox: a local server that behaves like Settle's Merchant API v1
 * (/work/shared/providers/settle.md), for the adapter, the tests and people without an account.
 */
import { Deadlines } from '../shared/deadlines';
import { FaultRegistry } from '../shared/faults';
import { closeOnce, listen } from '../shared/http-server';
import { buildApp } from './app';
import { CallbackSender } from './callbacks';
import { MERCHANT_API_PATH, resolveConfig, type RunningSettleSandbox, type SettleSandboxConfig } from './config';
import { PaymentService } from './payments';
import type { FaultKind } from './schemas';
import { SandboxStore } from './store';

export type { RunningSettleSandbox, SettleSandboxConfig } from './config';

export async function startSettleSandbox(config: SettleSandboxConfig, port = 0, host = '127.0.0.1'): Promise<RunningSettleSandbox> {
  // The base URL (and so the URL RSA signatures cover) is only known once the port is.
  const { server, url } = await listen(port, host);
  const resolved = resolveConfig(config, url);

  const store = new SandboxStore(resolved.shortlinks);
  const deadlines = new Deadlines();
  const callbacks = new CallbackSender(resolved.callbackPrivateKeyPem);
  const faults = new FaultRegistry<FaultKind>();
  const payments = new PaymentService(resolved, store, deadlines, callbacks);
  server.on('request', buildApp({ config: resolved, payments, store, callbacks, faults }));

  const close = closeOnce(server, deadlines, callbacks);

  return { url, merchantApiBase: `${url}${MERCHANT_API_PATH}/`, close };
}
