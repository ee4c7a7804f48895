/**
 * The SOAP endpoint: POST text/xml dispatched on the payload element (seqr.md §1), and
 * `GET <endpoint>?wsdl`. Business answers are HTTP 200 with a resultCode; unreadable messages and
 * unknown operations are Client Faults (HTTP 500), a content type other than SOAP 1.1's text/xml
 * is 415 as from JAX-WS.
 */
import { Router } from 'express';
import { ClientFault } from './answers';
import type { OperationTable } from './operations';
import { sendAnswer, sendFault } from './soap-responses';
import { soapRequestOf } from './soap-request';
import { wsdlDocument } from './wsdl';

export function soapRoutes(operations: OperationTable, endpoint: string): Router {
  const router = Router();

  router.get('/', (req, res) => {
    if ('wsdl' in req.query) res.type('text/xml; charset=utf-8').send(wsdlDocument(endpoint));
    else res.status(405).set('Allow', 'POST').type('text/plain').send('SEQR sandbox SOAP endpoint: POST text/xml, or GET ?wsdl');
  });

  router.post('/', (req, res) => {
    if (!req.is('text/xml')) {
      res.status(415).type('text/plain').send('Unsupported Content-Type: SOAP 1.1 messages are text/xml');
      return;
    }
    const request = soapRequestOf(req);
    if (request?.kind !== 'call') {
      sendFault(res, 'Client', request?.reason ?? 'the request has no SOAP message');
      return;
    }
    try {
      sendAnswer(res, request.operation, operations.run(request.operation, request.fields));
    } catch (error) {
      if (!(error instanceof ClientFault)) throw error;
      sendFault(res, 'Client', error.message);
    }
  });

  return router;
}
