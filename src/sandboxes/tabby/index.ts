/**
 * Tabby sandbox: a local server that behaves like Tabby's Checkout/Payments API v2 for POS QR
 * payments (/work/shared/providers/tabby.md), for the adapter, the tests and people without an
 * account. The customer is played through /_sandbox or the checkout page behind each web_url.
 */
import { Deadlines } from '../shared/deadlines';
import { FaultRegistry } from '../shared/faults';
import { closeOnce, listen, stopServer } from '../shared/http-server';
import { buildApp } from './app';
import { resolveConfig, type RunningTabbySandbox, type TabbySandboxConfig } from './config';
import { Eligibility } from './eligibility';
import { TabbyService } from './payments';
import type { FaultKind } from './schemas';
import { PaymentStore } from './store';
import { WebhookRegistry } from './webhook-registry';
import { WebhookNotifier } from './webhooks';

export type { RunningTabbySandbox, TabbySandboxConfig } from './config';

export async function startTabbySandbox(config: TabbySandboxConfig, port = 0, host = '127.0.0.1'): Promise<RunningTabbySandbox> {
  // The links in session answers name the sandbox, and its URL is only known once the port is.
  const { server, url } = await listen(port, host);
  let resolved;
  try {
    resolved = resolveConfig(config, url);
  } catch (error) {
    await stopServer(server);
    throw error;
  }

  const store = new PaymentStore();
  const deadlines = new Deadlines();
  const registry = new WebhookRegistry(resolved.webhooks);
  const webhooks = new WebhookNotifier(registry);
  const eligibility = new Eligibility(resolved.maxOrderAmount);
  const faults = new FaultRegistry<FaultKind>();
  const service = new TabbyService(resolved, store, deadlines, webhooks, eligibility);
  server.on('request', buildApp({ config: resolved, service, store, eligibility, registry, webhooks, faults }));

  const close = closeOnce(server, deadlines, webhooks);

  return { url, close };
}
