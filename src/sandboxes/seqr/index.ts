/**
 * SEQR sandbox: a local SOAP server that behaves like SEQR's cash-register API v2.6
 * (/work/shared/providers/seqr.md) — credentials in `context`, terminals, the invoice state
 * machine with its version counter, reversal of unpolled payments, notificationUrl calls and
 * SEQR's result codes — for the adapter, the tests and people without a SEQR account. The
 * customer is played through /_sandbox.
 */
import { Deadlines } from '../shared/deadlines';
import { FaultRegistry } from '../shared/faults';
import { closeOnce, listen } from '../shared/http-server';
import { buildApp } from './app';
import { resolveConfig, SOAP_PATH, type RunningSeqrSandbox, type SeqrSandboxConfig } from './config';
import type { FaultKind, FaultParams } from './faults';
import { InvoiceOperations } from './invoice-operations';
import { InvoiceLifecycle } from './lifecycle';
import { PaymentNotifier } from './notifications';
import { OperationTable } from './operations';
import { PaymentOperations } from './payment-operations';
import { SeqrStore } from './store';
import { TerminalOperations } from './terminal-operations';

export type { RunningSeqrSandbox, SeqrSandboxConfig } from './config';

export async function startSeqrSandbox(config: SeqrSandboxConfig, port = 0, host = '127.0.0.1'): Promise<RunningSeqrSandbox> {
  const resolved = resolveConfig(config);
  // The WSDL names the endpoint, and its URL is only known once the port is.
  const { server, url } = await listen(port, host);
  const endpoint = `${url}${SOAP_PATH}`;

  const store = new SeqrStore(resolved.resellers);
  const deadlines = new Deadlines();
  const notifier = new PaymentNotifier();
  const faults = new FaultRegistry<FaultKind, FaultParams>();
  const lifecycle = new InvoiceLifecycle(resolved, store, deadlines, notifier);
  const operations = new OperationTable(
    new TerminalOperations(store, lifecycle),
    new InvoiceOperations(resolved, store, lifecycle),
    new PaymentOperations(store, lifecycle),
  );
  server.on('request', buildApp({ store, lifecycle, notifier, faults, operations, endpoint }));

  const close = closeOnce(server, deadlines, notifier);

  return { url, endpoint, close };
}
