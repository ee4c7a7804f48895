/**
 * `POST /v1/webhooks/:provider`: the provider's own proof of origin is checked over the raw body,
 * then the event is handed durably to the payment as a signal and answered 200 at once.
 *
 * What strangers can trigger here is bounded:
 * - log lines: rejected, ignored and unknown-payment webhooks are logged at most once per provider
 *   and kind every LOG_INTERVAL_MS, with the number held back (the metrics count every one);
 * - hints (verdict `hint`: a webhook with no proof of origin, e.g. SEQR's notificationUrl): at most
 *   one per payment per HINT_INTERVAL_MS is delivered; the rest answer 200 and are dropped, counted in
 *   `pos_webhook_hints_dropped_total`. The payment polls its provider itself, so a dropped hint loses nothing.
 */
import express, { Router } from 'express';
import type { IngressProviders } from '../providers';
import type { IngressMetrics } from './metrics';
import type { PaymentGateway } from './payment-gateway';
import { aboutPayment } from '../observability/access-log';
import { logger } from '../observability/logger';
import { problems } from './problem';
import { PerKeyRateLimit, ThrottledLog } from './throttle';

export const HINT_INTERVAL_MS = 1_000;
const HINT_MEMORY = 10_000;
export const LOG_INTERVAL_MS = 10_000;

export interface WebhookOptions {
  /** Where webhook log lines go (the process logger by default; tests capture them). */
  log?: (line: string) => void;
  hintIntervalMs?: number;
  logIntervalMs?: number;
}

export function webhookRoutes(gateway: PaymentGateway, providers: IngressProviders, publicBaseUrl: string, metrics: IngressMetrics, options: WebhookOptions = {}): Router {
  const router = Router();
  const logs = new ThrottledLog(options.logIntervalMs ?? LOG_INTERVAL_MS, options.log ?? ((line) => logger.warn({ component: 'webhook' }, line)));
  const hints = new PerKeyRateLimit(options.hintIntervalMs ?? HINT_INTERVAL_MS, HINT_MEMORY);
  router.post('/:provider', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const provider = req.params.provider;
    const ingress = providers.get(provider);
    if (!ingress) throw problems.notFound(`no webhook for provider ${provider}`);
    const verdict = ingress.verifyWebhook({
      // Signatures cover the URL as registered with the provider: our public base, not our bind address.
      url: `${publicBaseUrl}${req.originalUrl}`,
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      headers: req.headers,
    });
    metrics.webhooks.inc({ provider, verdict: verdict.kind });
    if (verdict.kind === 'unauthorized') {
      logs.log(`${provider} unauthorized`, `[webhook] ${provider} rejected: ${verdict.reason}`);
      throw problems.unauthorized('The webhook signature could not be verified.');
    }
    if (verdict.kind === 'ignored') {
      logs.log(`${provider} ignored`, `[webhook] ${provider} ignored: ${verdict.reason}`);
      return void res.json({ received: true });
    }
    aboutPayment(res, verdict.paymentId, provider);
    if (verdict.kind === 'hint' && !hints.admit(`${provider} ${verdict.paymentId}`)) {
      metrics.hintsDropped.inc({ provider });
      return void res.json({ received: true });
    }
    const delivered = await gateway.deliver(verdict.paymentId, verdict.signal);
    if (!delivered) logs.log(`${provider} unknown`, `[webhook] ${provider} ${verdict.signal.event} for unknown or finished payment ${verdict.paymentId}`);
    res.json({ received: true });
  });
  return router;
}
