/**
 * `/_sandbox/faults` for every sandbox: add (201 {id}), list, clear; `GET requests?since=<seq>`,
 * the provider API requests seen and the fault that struck each; `GET held` and `POST release`
 * (optionally `?id=<fault>`) for requests a `hold` fault keeps waiting. Each sandbox passes its own
 * body parser, so invalid bodies are answered in that provider's error shape.
 */
import { Router, type Request, type Response } from 'express';
import type { FaultRegistry, FaultSpec } from './faults';

export function faultRoutes<K extends string, P = never>(
  faults: FaultRegistry<K, P>,
  parseFault: (req: Request, res: Response) => FaultSpec<K, P> | undefined,
): Router {
  const router = Router();
  router.post('/', (req, res) => {
    const body = parseFault(req, res);
    if (body === undefined) return;
    res.status(201).json({ id: faults.add(body).id });
  });
  router.get('/', (_req, res) => {
    res.json(faults.list());
  });
  router.get('/requests', (req, res) => {
    const since = typeof req.query.since === 'string' ? Number(req.query.since) : 0;
    res.json(faults.requests(Number.isFinite(since) ? since : 0));
  });
  router.get('/hooks', (_req, res) => {
    res.json({ pending: faults.pendingHooks() });
  });
  router.get('/held', (req, res) => {
    res.json({ held: faults.heldCount(typeof req.query.id === 'string' ? req.query.id : undefined) });
  });
  router.post('/release', (req, res) => {
    res.json({ released: faults.release(typeof req.query.id === 'string' ? req.query.id : undefined) });
  });
  router.delete('/', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  return router;
}
