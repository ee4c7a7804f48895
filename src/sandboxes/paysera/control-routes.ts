/**
 * The /_sandbox control API: lets a test or a person play the customer (scan a code, check in and
 * out, reserve, reject, let a transaction fail, settle a payment), inspect everything the sandbox
 * did, inject faults and duplicate callbacks, and start over. No authentication: it is only ever
 * reachable where the sandbox runs. Errors use Paysera's body shape.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { deliveryRoutes, timesSchema } from '../shared/delivery-routes';
import { faultRoutes } from '../shared/fault-routes';
import type { FaultRegistry } from '../shared/faults';
import type { CallbackSender } from './callbacks';
import type { ResolvedConfig } from './config';
import { notFound, Refusal, sendRefusal } from './errors';
import { faultSchema, type FaultKind } from './faults';
import { parseId } from './ids';
import type { OrderRecord, PaymentRecord, SpotRecord, TransactionRecord } from './model';
import { customerSchema, reserveSchema, scanSchema } from './schemas';
import type { SpotService } from './spots';
import type { PayseraStore } from './store';
import type { TransactionService } from './transactions';
import { validate } from './validation';
import { orderView, paymentView, spotView, transactionView } from './views';

export interface ControlDeps {
  config: ResolvedConfig;
  store: PayseraStore;
  spots: SpotService;
  transactions: TransactionService;
  callbacks: CallbackSender;
  faults: FaultRegistry<FaultKind>;
}

function controlOrderView(order: OrderRecord, store: PayseraStore) {
  return { ...orderView(order, store), spot_id: order.spotId, created_at: order.createdAt.toISOString() };
}

/** A spot as the merchant sees it, plus who is checked in; `orders` always present, possibly empty. */
function inspectSpot(spot: SpotRecord, deps: ControlDeps) {
  return {
    ...spotView(spot, deps.store, deps.config.locationId),
    pre_registered: spot.preRegistered,
    checked_in: spot.checkedIn.size,
    customers: [...spot.checkedIn],
    orders: spot.orderIds.flatMap((id) => deps.store.order(id) ?? []).map((order) => controlOrderView(order, deps.store)),
  };
}

/**
 * Everything the sandbox knows about a transaction, for assertions such as "exactly one confirm":
 * the transaction as the merchant sees it, plus its order, the action log and the read count.
 */
function inspectTransaction(transaction: TransactionRecord, store: PayseraStore) {
  const order = store.allOrders().find((candidate) => candidate.transactionKey === transaction.key);
  return {
    ...transactionView(transaction, store),
    order: order === undefined ? null : controlOrderView(order, store),
    actions: transaction.actions,
    reads: transaction.reads,
  };
}
export type TransactionInspection = ReturnType<typeof inspectTransaction>;

function parseBody<T extends z.ZodType>(req: Request, res: Response, schema: T): z.output<T> | undefined {
  // express.json leaves the body undefined when none was sent; every control body may be empty.
  const parsed = validate(schema, (req.body as unknown) ?? {});
  if (parsed instanceof Refusal) {
    sendRefusal(res, parsed);
    return undefined;
  }
  return parsed.data;
}

type IdParams = { id: string };
type KeyParams = { key: string };

export function controlRoutes(deps: ControlDeps): Router {
  const { store, spots, transactions, callbacks, faults } = deps;
  const router = Router();
  const answerSpot = (res: Response, result: SpotRecord | Refusal) => {
    if (result instanceof Refusal) sendRefusal(res, result);
    else res.json(inspectSpot(result, deps));
  };
  const answerTransaction = (res: Response, result: TransactionRecord | Refusal) => {
    if (result instanceof Refusal) sendRefusal(res, result);
    else res.json(inspectTransaction(result, store));
  };
  const answerPayment = (res: Response, result: { payment: PaymentRecord; transaction: TransactionRecord } | Refusal) => {
    if (result instanceof Refusal) sendRefusal(res, result);
    else res.json(paymentView(result.payment, result.transaction));
  };
  const spotAction = (act: (id: number, customer: string) => SpotRecord | Refusal) => (req: Request<IdParams>, res: Response) => {
    const body = parseBody(req, res, customerSchema);
    if (body === undefined) return;
    const id = parseId(req.params.id);
    answerSpot(res, id === null ? notFound(`spot ${req.params.id} not found`) : act(id, body.customer));
  };

  router.post('/spots/scan', (req, res) => {
    const body = parseBody(req, res, scanSchema);
    if (body !== undefined) answerSpot(res, spots.byCode(body.code));
  });
  router.post('/spots/:id/check-in', spotAction((id, customer) => spots.checkIn(id, customer)));
  router.post('/spots/:id/check-out', spotAction((id, customer) => spots.checkOut(id, customer)));

  router.get('/spots', (_req, res) => {
    res.json(store.allSpots().map((spot) => inspectSpot(spot, deps)));
  });

  router.get('/orders', (req, res) => {
    const spotId = typeof req.query.spot_id === 'string' ? parseId(req.query.spot_id) : undefined;
    const orders = store.allOrders().filter((order) => spotId === undefined || order.spotId === spotId);
    res.json(orders.map((order) => controlOrderView(order, store)));
  });

  router.post('/transactions/:key/reserve', (req: Request<KeyParams>, res: Response) => {
    const body = parseBody(req, res, reserveSchema);
    if (body !== undefined) answerTransaction(res, transactions.reserve(req.params.key, body.wallet));
  });
  router.post('/transactions/:key/reject', (req: Request<KeyParams>, res: Response) => {
    answerTransaction(res, transactions.reject(req.params.key));
  });
  router.post('/transactions/:key/fail', (req: Request<KeyParams>, res: Response) => {
    answerTransaction(res, transactions.fail(req.params.key));
  });
  router.get('/transactions/:key', (req: Request<KeyParams>, res: Response) => {
    answerTransaction(res, transactions.get(req.params.key));
  });

  router.post('/payments/:id/done', (req: Request<IdParams>, res: Response) => {
    const id = parseId(req.params.id);
    answerPayment(res, id === null ? notFound(`payment ${req.params.id} not found`) : transactions.settlePayment(id));
  });

  router.use('/callbacks', deliveryRoutes(callbacks, (req, res) => parseBody(req, res, timesSchema)));

  router.use('/faults', faultRoutes(faults, (req, res) => parseBody(req, res, faultSchema)));

  /** Back to the configured spots: no orders, transactions, faults or callback log. */
  router.post('/reset', (_req, res) => {
    transactions.reset();
    spots.reset();
    callbacks.reset();
    faults.clear();
    res.status(204).end();
  });

  return router;
}
