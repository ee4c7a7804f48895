/**
 * `GET /metrics` (Prometheus text): request counts and latencies per route, and webhook verdicts per
 * provider, plus Node's process metrics. One registry per app, so tests and stacks do not collide.
 */
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { routePattern } from './route-pattern';

export class IngressMetrics {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'pos_http_request_duration_seconds',
    help: 'Ingress HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.025, 0.1, 0.25, 1, 2.5, 10, 30],
    registers: [this.registry],
  });
  readonly webhooks = new Counter({
    name: 'pos_webhooks_total',
    help: 'Provider webhooks by provider and verdict (signal, ignored, unauthorized)',
    labelNames: ['provider', 'verdict'] as const,
    registers: [this.registry],
  });
  readonly hintsDropped = new Counter({
    name: 'pos_webhook_hints_dropped_total',
    help: 'Unauthenticated webhook hints (SEQR) dropped because the same payment had one delivered less than a second before',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });

  /** `watched()` counts the payments whose history this ingress follows for waiting tills (payment-watches.ts). */
  constructor(watched: () => number) {
    new Gauge({
      name: 'pos_payment_watches',
      help: 'Payments whose history this ingress follows for long-polling tills: one long-running GetWorkflowExecutionHistory call each (frontend.namespaceCount)',
      registers: [this.registry],
      collect() {
        this.set(watched());
      },
    });
    collectDefaultMetrics({ register: this.registry });
  }

  /** Times every request; the route is Express's pattern (`/v1/payments/:id`), never the raw path. */
  readonly middleware: RequestHandler = (req, res, next) => {
    const stop = this.requests.startTimer({ method: req.method });
    res.on('finish', () => stop({ route: routePattern(req), status: String(res.statusCode) }));
    next();
  };

  readonly endpoint: RequestHandler = async (_req, res) => {
    res.type(this.registry.contentType).send(await this.registry.metrics());
  };
}
