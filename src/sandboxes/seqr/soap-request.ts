/**
 * Reads the SOAP message of a request before fault injection, because faults pick their request
 * by SOAP operation and the operation is only in the body. The parse (or why it failed) is kept
 * with the request for the route.
 */
import type { Request, RequestHandler } from 'express';
import { readRequestEnvelope, UnreadableSoap, type XmlFields } from './soap-envelopes';

export type SoapRequest = { kind: 'call'; operation: string; fields: XmlFields } | { kind: 'unreadable'; reason: string };

const parsed = new WeakMap<Request, SoapRequest>();

function read(body: unknown): SoapRequest {
  if (typeof body !== 'string' || body === '') return { kind: 'unreadable', reason: 'the request has no SOAP message' };
  try {
    const { operation, fields } = readRequestEnvelope(body);
    return { kind: 'call', operation, fields };
  } catch (error) {
    if (error instanceof UnreadableSoap) return { kind: 'unreadable', reason: error.message };
    throw error;
  }
}

/** Runs after a text body parser; only POSTs carry messages. */
export const readSoapRequest: RequestHandler = (req, _res, next) => {
  if (req.method === 'POST') parsed.set(req, read(req.body));
  next();
};

export function soapRequestOf(req: Request): SoapRequest | undefined {
  return parsed.get(req);
}

export function operationOf(req: Request): string | undefined {
  const request = parsed.get(req);
  return request?.kind === 'call' ? request.operation : undefined;
}
