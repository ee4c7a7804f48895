/**
 * The /_sandbox control API: lets a test or a person play the customer (scan, approve, reject),
 * inspect everything the sandbox did, inject faults and start over. No authentication: it is
 * only ever reachable where the sandbox runs.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { deliveryRoutes, timesSchema } from '../shared/delivery-routes';
import { faultRoutes } from '../shared/fault-routes';
import type { FaultRegistry } from '../shared/faults';
import type { CallbackSender } from './callbacks';
import { notFound, sendRefusal, type Refusal } from './errors';
import { customerReached, type PaymentRecord } from './model';
import { toOutcome } from './outcome';
import type { PaymentService } from './payments';
import { approveSchema, faultSchema, scanSchema, type FaultKind } from './schemas';
import type { SandboxStore } from './store';
import { isRefusal, validate } from './validation';

/** Everything the sandbox knows about a request, for assertions such as "exactly one capture". */
export type Inspection = ReturnType<typeof inspect>;

function inspect(record: PaymentRecord) {
  return {
    tid: record.tid,
    created_at: record.createdAt.toISOString(),
    request: record.request,
    customer: record.request.customer,
    customer_reached: customerReached(record),
    shortlink_id: record.shortlinkId,
    scan_token: record.scanToken,
    callback_uri: record.callbackUri,
    outcome: toOutcome(record),
    actions: record.actions,
    outcome_reads: record.outcomeReads,
  };
}

function parseBody<T extends z.ZodType>(req: Request, res: Response, schema: T): z.output<T> | undefined {
  // express.json leaves the body undefined when none was sent; every control body is optional-ish.
  const parsed = validate(schema, (req.body as unknown) ?? {});
  if ('data' in parsed) return parsed.data;
  sendRefusal(res, parsed);
  return undefined;
}

function queryString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export interface ControlDeps {
  payments: PaymentService;
  store: SandboxStore;
  callbacks: CallbackSender;
  faults: FaultRegistry<FaultKind>;
}

export function controlRoutes({ payments, store, callbacks, faults }: ControlDeps): Router {
  const router = Router();
  const answer = (res: Response, result: Refusal | null, tid: string) => {
    if (result) {
      sendRefusal(res, result);
      return;
    }
    const record = store.getPayment(tid);
    if (record) res.json(inspect(record));
  };

  router.post('/shortlinks/:id/scan', (req, res) => {
    const body = parseBody(req, res, scanSchema);
    if (body === undefined) return;
    const scanned = payments.scan(req.params.id, body.argstring);
    if (isRefusal(scanned)) sendRefusal(res, scanned);
    else res.json(scanned);
  });

  router.post('/payment_requests/:tid/approve', (req, res) => {
    const body = parseBody(req, res, approveSchema);
    if (body === undefined) return;
    answer(res, payments.approve(req.params.tid, body.additional_amount), req.params.tid);
  });

  router.post('/payment_requests/:tid/reject', (req, res) => {
    answer(res, payments.reject(req.params.tid), req.params.tid);
  });

  router.get('/payment_requests', (req, res) => {
    const filter = { posId: queryString(req.query.pos_id), posTid: queryString(req.query.pos_tid) };
    res.json(store.listPayments(filter).map(inspect));
  });

  router.get('/payment_requests/:tid', (req, res) => {
    const record = store.getPayment(req.params.tid);
    if (record) res.json(inspect(record));
    else sendRefusal(res, notFound(`Payment request ${req.params.tid}`));
  });

  router.use('/callbacks', deliveryRoutes(callbacks, (req, res) => parseBody(req, res, timesSchema)));

  router.use('/faults', faultRoutes(faults, (req, res) => parseBody(req, res, faultSchema)));

  router.post('/reset', (_req, res) => {
    payments.reset();
    faults.clear();
    callbacks.reset();
    res.status(204).end();
  });

  return router;
}
