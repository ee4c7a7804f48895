/** Sending SOAP answers: results with HTTP 200, Faults with HTTP 500 (SOAP 1.1 over HTTP). */
import type { Response } from 'express';
import { returnFields, type OpAnswer } from './answers';
import { faultEnvelope, responseEnvelope } from './soap-envelopes';

const SOAP_CONTENT_TYPE = 'text/xml; charset=utf-8';

export function sendAnswer(res: Response, operation: string, answer: OpAnswer): void {
  res.status(200).type(SOAP_CONTENT_TYPE).send(responseEnvelope(operation, returnFields(answer)));
}

/** `Client`: the message was wrong; `Server`: the service failed. */
export function sendFault(res: Response, code: 'Client' | 'Server', message: string): void {
  res.status(500).type(SOAP_CONTENT_TYPE).send(faultEnvelope(code, message));
}
