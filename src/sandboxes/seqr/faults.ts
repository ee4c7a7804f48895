/**
 * Fault injection for the SOAP endpoint. A fault picks its request like this: among the faults
 * not used up, the oldest whose `method` (if given) equals the request's, whose `path_pattern`
 * (if given) matches its path, whose `operation` (if given) equals the SOAP operation in its body,
 * and whose kind can strike it (`result_code` needs a readable SOAP call) strikes and loses one of
 * its `times`. A fault with none of the three waits for any request to the endpoint.
 *
 * Besides the shared transport kinds: `status_500` answers the servlet container's HTML error
 * page and `status_503` a load balancer's plain text (neither is SOAP), `soap_fault` an HTTP 500
 * SOAP Fault, and `result_code` a regular answer carrying `result_code` (e.g. 93 SYSTEM_BUSY) —
 * all without processing anything.
 */
import { STATUS_CODES } from 'node:http';
import { z } from 'zod';
import type { FaultAnswers } from '../shared/fault-injection';
import { faultSpecChecks, faultSpecFields, TRANSPORT_FAULT_KINDS, type FaultSpec } from '../shared/faults';
import { refusal } from './answers';
import { isResultCode, type ResultCode } from './result-codes';
import { sendAnswer, sendFault } from './soap-responses';
import { operationOf } from './soap-request';
import { WSDL_OPERATIONS } from './wsdl';

export const FAULT_KINDS = [...TRANSPORT_FAULT_KINDS, 'soap_fault', 'result_code'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export interface FaultParams {
  result_code: Exclude<ResultCode, 0>;
}

const fields = faultSpecFields(FAULT_KINDS, ['GET', 'POST']);

export const faultSchema = faultSpecChecks(
  fields.extend({
    path_pattern: fields.shape.path_pattern.optional(),
    operation: z.enum(WSDL_OPERATIONS).optional(),
    result_code: z
      .int()
      .refine((code): code is Exclude<ResultCode, 0> => code !== 0 && isResultCode(code), 'must be a non-zero result code of seqr.md §5.2')
      .optional(),
  }),
)
  .refine((body) => (body.fault === 'result_code') === (body.result_code !== undefined), { path: ['result_code'], message: 'Required for, and only for, a result_code fault' })
  .transform(({ result_code, ...spec }): FaultSpec<FaultKind, FaultParams> => ({ ...spec, params: result_code === undefined ? undefined : { result_code } }));

export const seqrFaultAnswers: FaultAnswers<FaultKind, FaultParams> = {
  status(res, status, fault) {
    if (status === 500) {
      res.status(500).type('html').send(`<html><head><title>Error 500</title></head><body><h1>HTTP Status 500 - Internal Server Error</h1><p>Injected fault ${fault.id}</p></body></html>`);
    } else {
      res.status(status).type('text/plain').send(STATUS_CODES[status] ?? 'Error');
    }
  },
  operationOf,
  custom: {
    soap_fault: {
      appliesTo: () => true,
      apply: (_req, res, _next, fault) => sendFault(res, 'Server', `Injected fault ${fault.id}`),
    },
    result_code: {
      appliesTo: (req) => operationOf(req) !== undefined,
      apply: (req, res, next, fault) => {
        const operation = operationOf(req);
        // appliesTo and the fault schema guarantee both; without them there is no answer to give.
        if (operation === undefined || fault.params === null) next(new Error(`result_code fault ${fault.id} cannot answer this request`));
        else sendAnswer(res, operation, refusal(fault.params.result_code, `injected fault ${fault.id}`));
      },
    },
  },
};
