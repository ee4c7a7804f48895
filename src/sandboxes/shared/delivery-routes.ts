/**
 * The control routes of a sandbox's outgoing callbacks/webhooks: the delivery log, and the
 * duplicate / reorder faults and how many of them are still to fire (`GET pending`). Each sandbox passes its own body parser, so invalid bodies are answered
 * in that provider's error shape.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Deliveries } from './deliveries';

/** Body of POST …/duplicate and …/reorder: how many of the next deliveries it applies to. */
export const timesSchema = z.object({ times: z.int().min(1) });

export function deliveryRoutes<L extends object>(
  deliveries: Deliveries<L>,
  parseTimes: (req: Request, res: Response) => z.output<typeof timesSchema> | undefined,
): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json(deliveries.log());
  });
  router.get('/pending', (_req, res) => {
    res.json(deliveries.pending());
  });
  router.post('/duplicate', (req, res) => {
    const body = parseTimes(req, res);
    if (body === undefined) return;
    deliveries.duplicateNext(body.times);
    res.status(204).end();
  });
  router.post('/reorder', (req, res) => {
    const body = parseTimes(req, res);
    if (body === undefined) return;
    deliveries.reorderNext(body.times);
    res.status(204).end();
  });
  return router;
}
