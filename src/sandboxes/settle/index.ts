/**
 * Settle sandbox: a local server that behaves like Settle's Merchant API v1
 * (/work/shared/providers/settle.md), for the adapter, the tests and people without an account.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app';
import { CallbackSender } from './callbacks';
import { MERCHANT_API_PATH, resolveConfig, type RunningSettleSandbox, type SettleSandboxConfig } from './config';
import { Deadlines } from './deadlines';
import { FaultRegistry } from './faults';
import { PaymentService } from './payments';
import { SandboxStore } from './store';

export type { RunningSettleSandbox, SettleSandboxConfig } from './config';

export async function startSettleSandbox(config: SettleSandboxConfig, port = 0, host = '127.0.0.1'): Promise<RunningSettleSandbox> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // The base URL (and so the URL RSA signatures cover) is only known once the port is.
  const { port: boundPort } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  const resolved = resolveConfig(config, url);

  const store = new SandboxStore(resolved.shortlinks);
  const deadlines = new Deadlines();
  const callbacks = new CallbackSender(resolved.callbackPrivateKeyPem);
  const faults = new FaultRegistry();
  const payments = new PaymentService(resolved, store, deadlines, callbacks);
  server.on('request', buildApp({ config: resolved, payments, store, callbacks, faults }));

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      deadlines.cancelAll();
      const closed = new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
      // Keep-alive connections would otherwise hold close() open until they time out.
      server.closeAllConnections();
      await Promise.all([closed, callbacks.close()]);
    })();
    return closing;
  };

  return { url, merchantApiBase: `${url}${MERCHANT_API_PATH}/`, close };
}
