/**
 * The /_sandbox control API: lets a test or a person play the customer (pay, reject, cancel, or
 * walk away and let the session expire), steer eligibility, inspect everything the sandbox did,
 * inject faults and misbehaving webhooks, and start over. No authentication: it is only ever
 * reachable where the sandbox runs.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { deliveryRoutes, timesSchema } from '../shared/delivery-routes';
import { faultRoutes } from '../shared/fault-routes';
import type { FaultRegistry } from '../shared/faults';
import type { ResolvedConfig } from './config';
import type { Eligibility } from './eligibility';
import { badData, notFound, Refusal, sendRefusal } from './errors';
import type { PaymentRecord } from './model';
import type { TabbyService } from './payments';
import { approveSchema, eligibilitySchema, faultSchema, type FaultKind } from './schemas';
import type { PaymentStore } from './store';
import { validate } from './validation';
import { paymentView, sessionLinks, sessionStatus } from './views';
import type { WebhookRegistry } from './webhook-registry';
import type { WebhookNotifier } from './webhooks';

/** Everything the sandbox knows about a payment, for assertions such as "exactly one capture". */
export type Inspection = ReturnType<typeof inspect>;

function inspect(record: PaymentRecord, baseUrl: string) {
  return {
    payment: paymentView(record),
    session_id: record.sessionId,
    session_status: sessionStatus(record.status),
    merchant_code: record.merchantCode,
    rejection_reason: record.rejectionReason,
    links: sessionLinks(record, baseUrl),
    actions: record.actions,
    reads: record.reads,
  };
}

function parseBody<T extends z.ZodType>(req: Request, res: Response, schema: T): z.output<T> | undefined {
  // express.json leaves the body undefined when none was sent; every control body may be empty.
  const parsed = validate(schema, (req.body as unknown) ?? {});
  if (parsed instanceof Refusal) {
    sendRefusal(res, parsed);
    return undefined;
  }
  return parsed.data;
}

export interface ControlDeps {
  config: ResolvedConfig;
  service: TabbyService;
  store: PaymentStore;
  eligibility: Eligibility;
  registry: WebhookRegistry;
  webhooks: WebhookNotifier;
  faults: FaultRegistry<FaultKind>;
}

type SessionParams = { sessionId: string };

export function controlRoutes({ config, service, store, eligibility, registry, webhooks, faults }: ControlDeps): Router {
  const router = Router();
  const answer = (res: Response, result: PaymentRecord | Refusal) => {
    if (result instanceof Refusal) sendRefusal(res, result);
    else res.json(inspect(result, config.baseUrl));
  };

  router.post('/sessions/:sessionId/approve', (req: Request<SessionParams>, res: Response) => {
    const body = parseBody(req, res, approveSchema);
    if (body !== undefined) answer(res, service.approve(req.params.sessionId, body.auto_capture));
  });

  /**
   * Arms the customer's approval to happen at the moment the next API request matching
   * `{ method, path_pattern }` arrives, before it is handled (e.g. the customer pays just as the
   * merchant's session cancel comes in). Body: the match plus approve's own `auto_capture`.
   * 201 { hook }; the request log (GET /_sandbox/faults/requests) names it on the request that set it off.
   */
  router.post('/sessions/:sessionId/approve/on-arrival', (req: Request<SessionParams>, res: Response) => {
    const raw = (req.body ?? {}) as { method?: unknown; path_pattern?: unknown; auto_capture?: unknown };
    const body = parseBody(req, res, approveSchema);
    if (body === undefined) return;
    if (typeof raw.path_pattern !== 'string' || (raw.method !== undefined && typeof raw.method !== 'string')) {
      sendRefusal(res, badData('path_pattern'));
      return;
    }
    const sessionId = req.params.sessionId;
    const hook = faults.onArrival({ method: raw.method, path_pattern: raw.path_pattern }, () => {
      const result = service.approve(sessionId, body.auto_capture);
      if (result instanceof Refusal) console.warn(`[tabby-sandbox] arrival hook: approve of ${sessionId} refused: ${JSON.stringify(result.body)}`);
    });
    res.status(201).json({ hook });
  });

  router.post('/sessions/:sessionId/reject', (req: Request<SessionParams>, res: Response) => {
    answer(res, service.reject(req.params.sessionId));
  });

  router.post('/sessions/:sessionId/cancel', (req: Request<SessionParams>, res: Response) => {
    answer(res, service.customerCancel(req.params.sessionId));
  });

  router.post('/eligibility', (req, res) => {
    const body = parseBody(req, res, eligibilitySchema);
    if (body === undefined) return;
    eligibility.rejectNext(body.reject_next, body.reason);
    res.json(eligibility.state());
  });

  router.get('/payments', (req, res) => {
    const referenceId = typeof req.query.reference_id === 'string' ? req.query.reference_id : undefined;
    const records = store.newestFirst().filter((record) => referenceId === undefined || record.referenceId === referenceId);
    res.json(records.map((record) => inspect(record, config.baseUrl)));
  });

  router.get('/payments/:paymentId', (req, res) => {
    const record = store.get(req.params.paymentId);
    if (record) res.json(inspect(record, config.baseUrl));
    else sendRefusal(res, notFound('no such payment'));
  });

  router.use('/webhooks', deliveryRoutes(webhooks, (req, res) => parseBody(req, res, timesSchema)));

  router.use('/faults', faultRoutes(faults, (req, res) => parseBody(req, res, faultSchema)));

  /** Back to the configured state: no payments, faults or forced rejections; only configured webhooks. */
  router.post('/reset', (_req, res) => {
    service.reset();
    eligibility.reset();
    registry.reset();
    webhooks.reset();
    faults.clear();
    res.status(204).end();
  });

  return router;
}
