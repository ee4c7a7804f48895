/**
 * `POST /v1/webhooks/:provider`: the provider's own proof of origin is checked over the raw body,
 * then the event is handed durably to the payment as a signal and answered 200 at once.
 */
import express, { Router } from 'express';
import type { ProviderRegistry } from '../../activities/payment-activities';
import type { ProviderName } from '../../workflows/payment';
import type { IngressMetrics } from './metrics';
import type { PaymentGateway } from './payment-gateway';
import { problems } from './problem';

export function webhookRoutes(gateway: PaymentGateway, providers: ProviderRegistry, publicBaseUrl: string, metrics: IngressMetrics): Router {
  const router = Router();
  router.post('/:provider', express.raw({ type: () => true, limit: '256kb' }), async (req, res) => {
    const module = providers.get(req.params.provider as ProviderName);
    if (!module) throw problems.notFound(`no webhook for provider ${req.params.provider}`);
    const verdict = module.verifyWebhook({
      // Signatures cover the URL as registered with the provider: our public base, not our bind address.
      url: `${publicBaseUrl}${req.originalUrl}`,
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      headers: req.headers,
    });
    metrics.webhooks.inc({ provider: req.params.provider, verdict: verdict.kind });
    if (verdict.kind === 'unauthorized') {
      console.warn(`[webhook] ${req.params.provider} rejected: ${verdict.reason}`);
      throw problems.unauthorized('The webhook signature could not be verified.');
    }
    if (verdict.kind === 'ignored') {
      console.info(`[webhook] ${req.params.provider} ignored: ${verdict.reason}`);
      return void res.json({ received: true });
    }
    const delivered = await gateway.deliver(verdict.paymentId, verdict.signal);
    if (!delivered) console.info(`[webhook] ${req.params.provider} ${verdict.signal.event} for unknown or finished payment ${verdict.paymentId}`);
    res.json({ received: true });
  });
  return router;
}
