/**
 * How Paysera's injected faults look: besides the shared transport kinds, `status_429` is the
 * documented `rate_limit_exceeded` (§7, §8) and `empty_answer` lets a confirm, revoke or payment
 * cancel do its work but answer `{}`, as the new API reference documents (§11 q2), where the
 * sandbox otherwise answers the object as the PHP library expects.
 */
import { STATUS_CODES } from 'node:http';
import type { Request } from 'express';
import type { FaultAnswers } from '../shared/fault-injection';
import { faultSpecSchema, TRANSPORT_FAULT_KINDS } from '../shared/faults';
import { internalError, Refusal, sendRefusal } from './errors';

export const FAULT_KINDS = [...TRANSPORT_FAULT_KINDS, 'status_429', 'empty_answer'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export const faultSchema = faultSpecSchema(FAULT_KINDS, ['GET', 'POST', 'PUT', 'DELETE']);

/** The calls whose answer the two sources disagree on. */
const EMPTY_ANSWER_CALLS = [/^PUT \/rest\/v1\/transaction\/[^/]+\/confirm$/, /^DELETE \/rest\/v1\/transaction\/[^/]+$/, /^DELETE \/rest\/v1\/payment\/[^/]+$/];

const emptyAnswers = new WeakSet<Request>();

/** Whether this request's success answer must be `{}`. */
export function answersEmpty(req: Request): boolean {
  return emptyAnswers.has(req);
}

export const payseraFaultAnswers: FaultAnswers<FaultKind> = {
  status(res, status, fault) {
    if (status === 429) sendRefusal(res, new Refusal(429, 'rate_limit_exceeded', `Injected fault ${fault.id}: too many requests`));
    else if (status === 500) sendRefusal(res, internalError(`Injected fault ${fault.id}`));
    // Anything else comes from the edge in front of the application: no Paysera body.
    else res.status(status).type('text/plain').send(STATUS_CODES[status] ?? 'Error');
  },
  custom: {
    empty_answer: {
      appliesTo: (req) => {
        const call = `${req.method} ${req.originalUrl.split('?')[0] ?? ''}`;
        return EMPTY_ANSWER_CALLS.some((pattern) => pattern.test(call));
      },
      apply: (req, _res, next) => {
        emptyAnswers.add(req);
        next();
      },
    },
  },
};
