/** The ingress: a thin Express app turning POS calls and provider webhooks into workflow messages. */
import express, { type Express } from 'express';
import type { Client } from '@temporalio/client';
import type { IngressConfig } from '../config';
import type { IngressProviders } from '../providers';
import { requireMerchant } from './auth';
import { demoRoutes, type DemoOptions } from './demo-routes';
import { docsRoutes } from './docs-routes';
import { PaymentGateway } from './payment-gateway';
import { paymentRoutes } from './payment-routes';
import { problemHandler, problems, requireJsonBody } from './problem';
import { isTemporalUnreachable } from '../temporal/client';
import { IngressMetrics } from './metrics';
import { openApiDocument } from './openapi';
import { providerReads } from './provider-reads';
import { QrImageLinks } from './qr-links';
import { qrRoutes } from './qr-routes';
import { requestId } from './request-id';
import { TerminalGateway } from './terminal-gateway';
import { WaitCapacity } from './wait-capacity';
import { terminalRoutes } from './terminal-routes';
import { webhookRoutes, type WebhookOptions } from './webhook-routes';
import { ListCursors } from './cursor';
import { noQuery } from './query';
import { WorkerReads } from './worker-reads';
import { accessLog } from '../observability/access-log';
import { traceRequests } from '../observability/http-tracing';

export interface IngressDependencies {
  client: Client;
  /** Fires before `client`'s connection closes: the long polls' history watches stop first. */
  closing: AbortSignal;
  taskQueue: string;
  apiKeys: ReadonlyMap<string, string>;
  /** The configured providers' ingress sides (src/providers.ts). */
  providers: IngressProviders;
  publicBaseUrl: string;
  createTimeoutMs: number;
  /** How long a read (a query) waits for a worker before 503 worker_unavailable; default READ_TIMEOUT_MS. */
  readTimeoutMs?: number;
  webhooks?: WebhookOptions;
  /** Signing of `qr.image_url`; default: the key derived from `apiKeys`, links good for 5 minutes. */
  qrLinks?: IngressConfig['qrLinks'];
  /** The demo till at `/demo`; absent or null (production): no demo. */
  demo?: DemoOptions | null;
}

export function createIngressApp(deps: IngressDependencies): Express {
  const reads = new WorkerReads(deps.client, deps.readTimeoutMs);
  const gateway = new PaymentGateway(deps.client, deps.closing, deps.taskQueue, deps.createTimeoutMs, ListCursors.fromApiKeys(deps.apiKeys), reads);
  const waitCapacity = new WaitCapacity(deps.client, deps.taskQueue);
  const terminals = new TerminalGateway(deps.client, deps.taskQueue, reads);
  const { secret, ttlSeconds } = deps.qrLinks ?? { secret: null, ttlSeconds: 300 };
  const qrLinks = secret ? new QrImageLinks(secret, ttlSeconds) : QrImageLinks.fromApiKeys(deps.apiKeys, ttlSeconds);
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const metrics = new IngressMetrics(() => gateway.watchedPayments);
  app.use(requestId);
  app.use(traceRequests);
  app.use(accessLog);
  app.use(metrics.middleware);
  // The operations endpoints take no parameters either: every route validates its query string.
  app.get('/metrics', noQuery, metrics.endpoint);
  const openApi = openApiDocument(deps.providers);
  app.get('/openapi.json', noQuery, (_req, res) => void res.json(openApi));
  app.use('/docs', docsRoutes());
  if (deps.demo) app.use('/demo', demoRoutes(deps.demo, deps.providers));

  app.get('/healthz', noQuery, (_req, res) => void res.json({ status: 'ok' }));
  app.get('/readyz', noQuery, async (_req, res) => {
    const { namespace } = deps.client.options;
    let pollers: number;
    try {
      const queue = await deps.client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: deps.taskQueue }, taskQueueType: 1 });
      pollers = queue.pollers?.length ?? 0;
    } catch (error) {
      const reason = isTemporalUnreachable(error) ? 'is not reachable' : 'answered with an error';
      throw problems.temporalUnavailable(`Temporal (namespace ${namespace}) ${reason}: ${(error as Error).message}`);
    }
    if (pollers === 0) throw problems.workerUnavailable(`no worker is polling task queue ${deps.taskQueue}`);
    res.json({ status: 'ready', temporal: 'reachable', workflow_pollers: pollers });
  });

  app.use('/v1/webhooks', webhookRoutes(gateway, deps.providers, deps.publicBaseUrl, metrics, deps.webhooks));
  // The QR image first: a browser's <img> loads it with a signed link instead of a Bearer key.
  app.use('/v1/payments', qrRoutes(gateway, qrLinks, deps.apiKeys));
  app.use('/v1/payments', requireJsonBody, express.json({ limit: '64kb' }), requireMerchant(deps.apiKeys), qrLinks.signAnswers, paymentRoutes(gateway, terminals, waitCapacity, deps.providers));
  app.use('/v1/terminals', requireJsonBody, express.json({ limit: '16kb' }), requireMerchant(deps.apiKeys), terminalRoutes(terminals, deps.providers));
  const readsOf = providerReads(deps.client, deps.taskQueue);
  for (const [provider, ingress] of deps.providers) {
    if (ingress.routes) app.use(`/v1/${provider}`, requireMerchant(deps.apiKeys), ingress.routes.router(readsOf(provider)));
  }
  app.use((_req, _res, next) => next(problems.notFound('no such endpoint')));
  app.use(problemHandler);
  return app;
}
