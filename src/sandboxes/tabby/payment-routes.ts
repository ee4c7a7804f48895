/** Payment endpoints (tabby.md §3): list, read, update, capture, refund, close. */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { bearerAuth } from './auth';
import type { ResolvedConfig } from './config';
import { Refusal, sendRefusal } from './errors';
import { jsonBody } from './json-body';
import { listPayments } from './listing';
import type { MerchantAction, PaymentRecord } from './model';
import type { TabbyService } from './payments';
import { captureSchema, refundSchema, updatePaymentSchema } from './schemas';
import type { PaymentStore } from './store';
import { validate } from './validation';
import { paymentView } from './views';

type PaymentParams = { paymentId: string };

/** Answers the payment, or the refusal. */
function answer(res: Response, result: PaymentRecord | Refusal): void {
  if (result instanceof Refusal) sendRefusal(res, result);
  else res.json(paymentView(result));
}

/**
 * Looks the payment up (an unknown id is 404 whatever the body), validates the body, then acts.
 * A body that fails validation is still a call on the payment, so it is logged like any refusal.
 */
function withBody<T extends z.ZodType>(
  service: TabbyService,
  action: MerchantAction,
  schema: T,
  act: (paymentId: string, body: z.output<T>) => PaymentRecord | Refusal,
) {
  return (req: Request<PaymentParams>, res: Response) => {
    const found = service.payment(req.params.paymentId);
    if (found instanceof Refusal) {
      sendRefusal(res, found);
      return;
    }
    const parsed = validate(schema, req.body as unknown);
    answer(res, parsed instanceof Refusal ? service.refuse(found, action, parsed) : act(found.id, parsed.data));
  };
}

export function paymentRoutes(config: ResolvedConfig, service: TabbyService, store: PaymentStore): Router {
  const router = Router();
  const auth = bearerAuth(config.secretKey);

  router.get('/api/v2/payments', auth, (req, res) => {
    const list = listPayments(store, req.query);
    if (list instanceof Refusal) sendRefusal(res, list);
    else res.json(list);
  });

  router.get('/api/v2/payments/:paymentId', auth, (req: Request<PaymentParams>, res: Response) => {
    answer(res, service.read(req.params.paymentId));
  });

  router.put(
    '/api/v2/payments/:paymentId',
    auth,
    jsonBody,
    withBody(service, 'update', updatePaymentSchema, (id, body) => service.updateReference(id, body.order.reference_id)),
  );

  router.post('/api/v2/payments/:paymentId/captures', auth, jsonBody, withBody(service, 'capture', captureSchema, (id, body) => service.capture(id, body)));

  router.post('/api/v2/payments/:paymentId/refunds', auth, jsonBody, withBody(service, 'refund', refundSchema, (id, body) => service.refund(id, body)));

  // No body (tabby.md §4.6).
  router.post('/api/v2/payments/:paymentId/close', auth, (req: Request<PaymentParams>, res: Response) => {
    answer(res, service.close(req.params.paymentId));
  });

  return router;
}
