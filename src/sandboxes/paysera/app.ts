/**
 * Wires the HTTP surface: the Wallet API under /rest/v1 behind fault injection, raw-body capture
 * and MAC authentication (in that order, so a fault can strike before anything is read and the
 * body hash covers the exact bytes), the callback-signing public key, and the control API.
 */
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { CUSTOMER_PAGE_PATH, customerPageRoutes } from '../shared/customer-page';
import { faultInjection } from '../shared/fault-injection';
import { macAuth } from './auth';
import { controlRoutes, type ControlDeps } from './control-routes';
import { internalError, invalidRequest, notFound, sendRefusal } from './errors';
import { payseraFaultAnswers } from './faults';
import { spotRoutes } from './spot-routes';
import { transactionRoutes } from './transaction-routes';

/** Everything the sandbox is made of; the control routes need all of it too. */
export type AppDeps = ControlDeps;

/** Body-parser failures (malformed JSON on /_sandbox, oversized bodies) carry their HTTP status. */
const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
  if (status < 500) {
    sendRefusal(res, invalidRequest(error instanceof Error ? error.message : 'request could not be read'));
    return;
  }
  console.error('[paysera-sandbox] unhandled error:', error);
  sendRefusal(res, internalError('unexpected error'));
};

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Transactions are polled; a 304 from an ETag would be something Paysera never answers.
  app.set('etag', false);
  app.use(
    '/rest/v1',
    faultInjection(deps.faults, payseraFaultAnswers),
    express.raw({ type: () => true, limit: '1mb' }),
    macAuth(deps.config.clients),
    spotRoutes(deps.config, deps.spots, deps.store),
    transactionRoutes(deps.transactions, deps.store),
  );
  app.get('/publickey', (_req, res) => {
    res.type('text/plain').send(deps.config.callbackPublicKeyPem);
  });
  app.use('/_sandbox', express.json(), controlRoutes(deps));
  app.use(CUSTOMER_PAGE_PATH, customerPageRoutes('Paysera', join(__dirname, 'customer-page.js')));
  app.use((req, res) => sendRefusal(res, notFound(`no route for ${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
