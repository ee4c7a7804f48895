/**
 * `/_sandbox/faults` for every sandbox: add (201 {id}), list, clear. Each sandbox passes its own
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
  router.delete('/', (_req, res) => {
    faults.clear();
    res.status(204).end();
  });
  return router;
}
