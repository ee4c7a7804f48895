/**
 * Wires the HTTP surface: the SOAP endpoint (body read and parsed first, because faults pick
 * their request by SOAP operation; then fault injection; then the operations), the control API
 * beside it, and the customer page that plays the customer through it in a browser.
 */
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { CUSTOMER_PAGE_PATH, customerPageRoutes } from '../shared/customer-page';
import { faultInjection } from '../shared/fault-injection';
import { SOAP_PATH } from './config';
import { controlRoutes, type ControlDeps } from './control-routes';
import { seqrFaultAnswers } from './faults';
import type { OperationTable } from './operations';
import { sendFault } from './soap-responses';
import { readSoapRequest } from './soap-request';
import { soapRoutes } from './soap-routes';

export interface AppDeps extends ControlDeps {
  operations: OperationTable;
  /** The endpoint's public URL, for the WSDL's soap:address. */
  endpoint: string;
}

/**
 * Body-parser failures (a body over the limit, malformed JSON on /_sandbox) carry their status;
 * anything else is a bug, answered as SOAP's Server Fault on the endpoint and as JSON elsewhere.
 */
const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
  if (status >= 500) console.error('[seqr-sandbox] unhandled error:', error);
  const message = error instanceof Error ? error.message : 'request failed';
  if (req.originalUrl.startsWith(SOAP_PATH)) sendFault(res, status < 500 ? 'Client' : 'Server', message);
  else res.status(status).json({ error: message });
};

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Statuses are polled; a 304 from an ETag would be something SEQR never answers.
  app.set('etag', false);
  app.use(
    SOAP_PATH,
    express.text({ type: () => true, limit: '1mb' }),
    readSoapRequest,
    faultInjection(deps.faults, seqrFaultAnswers),
    soapRoutes(deps.operations, deps.endpoint),
  );
  app.use('/_sandbox', express.json(), controlRoutes(deps));
  app.use(CUSTOMER_PAGE_PATH, customerPageRoutes('SEQR', join(__dirname, 'customer-page.js')));
  app.use((req, res) => res.status(404).json({ error: `${req.method} ${req.path} not found` }));
  app.use(errorHandler);
  return app;
}
