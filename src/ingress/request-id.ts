/** Every response carries `X-Request-Id`: the caller's own when sent, else a fresh one. */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';

const ACCEPTABLE = /^[\w.:-]{1,128}$/;

export const requestId: RequestHandler = (req, res, next) => {
  const sent = req.get('X-Request-Id');
  res.setHeader('X-Request-Id', sent && ACCEPTABLE.test(sent) ? sent : randomUUID());
  next();
};
