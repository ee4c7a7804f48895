/**
 * Spot and order endpoints of the merchant role (paysera.md §3.1). Fault injection, raw-body
 * capture and MAC authentication run before these handlers; here only validation, the service
 * call and Paysera's answer shapes.
 */
import { Router, type Request, type Response } from 'express';
import type { ResolvedConfig } from './config';
import { forbidden, notFound, Refusal, sendRefusal } from './errors';
import { parseId } from './ids';
import type { OrderRecord, SpotRecord } from './model';
import { createOrderSchema, spotCodeQuerySchema, spotsQuerySchema } from './schemas';
import type { SpotService } from './spots';
import type { PayseraStore } from './store';
import { jsonBodyOf, validate } from './validation';
import { orderView, spotView } from './views';

type IdParams = { id: string };

export function spotRoutes(config: ResolvedConfig, spots: SpotService, store: PayseraStore): Router {
  const router = Router();
  const answerSpot = (res: Response, result: SpotRecord | Refusal) => {
    if (result instanceof Refusal) sendRefusal(res, result);
    else res.json(spotView(result, store, config.locationId));
  };
  const answerOrder = (res: Response, result: OrderRecord | Refusal) => {
    if (result instanceof Refusal) sendRefusal(res, result);
    else res.json(orderView(result, store));
  };
  /** A path id that is not a positive integer names nothing. */
  const spotOf = (req: Request<IdParams>) => {
    const id = parseId(req.params.id);
    return id === null ? notFound(`spot ${req.params.id} not found`) : spots.get(id);
  };
  const orderOf = (req: Request<IdParams>) => {
    const id = parseId(req.params.id);
    return id === null ? notFound(`order ${req.params.id} not found`) : spots.order(id);
  };

  router.get('/spot', (req, res) => {
    const query = validate(spotCodeQuerySchema, req.query);
    answerSpot(res, query instanceof Refusal ? query : spots.byCode(query.data.code));
  });

  router.get('/spot/:id', (req: Request<IdParams>, res: Response) => {
    answerSpot(res, spotOf(req));
  });

  // Checking in and out is for clients representing a user (access tokens); the sandbox plays
  // the customer through /_sandbox instead, and a merchant's MAC client is not allowed to.
  router.put(['/spot/:id/check-in', '/spot/:id/check-out'], (_req, res) => {
    sendRefusal(res, forbidden('check-in and check-out are for clients representing a user'));
  });

  router.get('/spots', (req, res) => {
    const query = validate(spotsQuerySchema, req.query);
    if (query instanceof Refusal) {
      sendRefusal(res, query);
      return;
    }
    const { spots: page, total } = spots.list(query.data);
    res.json({
      spots: page.map((spot) => spotView(spot, store, config.locationId)),
      _metadata: { total, offset: query.data.offset, limit: query.data.limit },
    });
  });

  router.put('/spot/:id/close', (req: Request<IdParams>, res: Response) => {
    const spot = spotOf(req);
    answerSpot(res, spot instanceof Refusal ? spot : spots.close(spot.id));
  });

  router.post('/spot/:id/order', (req: Request<IdParams>, res: Response) => {
    const spot = spotOf(req);
    if (spot instanceof Refusal) {
      sendRefusal(res, spot);
      return;
    }
    const json = jsonBodyOf(req);
    const body = json instanceof Refusal ? json : validate(createOrderSchema, json.value);
    answerOrder(res, body instanceof Refusal ? body : spots.createOrder(spot.id, body.data));
  });

  router.get('/order/:id', (req: Request<IdParams>, res: Response) => {
    answerOrder(res, orderOf(req));
  });

  router.delete('/order/:id', (req: Request<IdParams>, res: Response) => {
    const order = orderOf(req);
    answerOrder(res, order instanceof Refusal ? order : spots.deleteOrder(order.id));
  });

  return router;
}
