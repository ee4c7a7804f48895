/**
 * Paysera sandbox: a local server that behaves like the Paysera Wallet API for POS spots, orders,
 * transactions and payments (/work/shared/providers/paysera.md), for the adapter, the tests and
 * people without an account. The customer is played through /_sandbox.
 */
import { Deadlines } from '../shared/deadlines';
import { FaultRegistry } from '../shared/faults';
import { closeOnce, listen } from '../shared/http-server';
import { buildApp } from './app';
import { CallbackSender } from './callbacks';
import { resolveConfig, type PayseraSandboxConfig, type RunningPayseraSandbox } from './config';
import type { FaultKind } from './faults';
import { SpotService } from './spots';
import { PayseraStore } from './store';
import { TransactionService } from './transactions';

export type { PayseraSandboxConfig, RunningPayseraSandbox } from './config';

export async function startPayseraSandbox(config: PayseraSandboxConfig, port = 0, host = '127.0.0.1'): Promise<RunningPayseraSandbox> {
  // Checked before listening, so a bad key leaves no server behind.
  const resolved = resolveConfig(config);
  const { server, url } = await listen(port, host);

  const store = new PayseraStore();
  const deadlines = new Deadlines();
  const callbacks = new CallbackSender(resolved.callbackPrivateKeyPem);
  const faults = new FaultRegistry<FaultKind>();
  const transactions = new TransactionService(store, deadlines, callbacks);
  const spots = new SpotService(resolved, store, transactions);
  server.on('request', buildApp({ config: resolved, store, spots, transactions, callbacks, faults }));

  const close = closeOnce(server, deadlines, callbacks);

  return { url, close };
}
