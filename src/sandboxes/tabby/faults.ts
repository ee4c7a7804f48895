/**
 * How Tabby's injected faults look: error statuses with Tabby's bodies (nothing is processed), and
 * `incomplete_session`, which lets POST /api/v2/checkout create its session but leaves the links
 * out of the answer (seed 003 test 2: "session is received but qr_code and web_url are not present").
 */
import { STATUS_CODES } from 'node:http';
import type { Request } from 'express';
import type { FaultAnswers } from '../shared/fault-injection';
import { badData, notAuthorized, sendInternalError, sendRefusal } from './errors';
import type { FaultKind } from './schemas';

const incomplete = new WeakSet<Request>();

/** Whether this session answer must leave out its links. */
export function answersIncomplete(req: Request): boolean {
  return incomplete.has(req);
}

export const tabbyFaultAnswers: FaultAnswers<FaultKind> = {
  status(res, status) {
    if (status === 400) sendRefusal(res, badData('bad_request'));
    else if (status === 401) sendRefusal(res, notAuthorized('authorization'));
    else if (status === 500) sendInternalError(res);
    // A 503 comes from Tabby's edge, not its application: no Tabby body.
    else res.status(status).type('text/plain').send(STATUS_CODES[status] ?? 'Error');
  },
  custom: {
    incomplete_session: {
      appliesTo: (req) => req.method === 'POST' && req.originalUrl.split('?')[0] === '/api/v2/checkout',
      apply: (req, _res, next) => {
        incomplete.add(req);
        next();
      },
    },
  },
};
