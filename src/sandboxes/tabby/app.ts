/**
 * Wires the HTTP surface: Tabby's API behind fault injection (every /api path, so a fault can
 * strike before anything is read; authentication and body parsing happen per route, after it),
 * the checkout page a customer opens from the QR, and the control API beside them.
 */
import express, { type ErrorRequestHandler, type Express } from 'express';
import { faultInjection } from '../shared/fault-injection';
import { checkoutPageRoutes } from './checkout-page';
import { checkoutRoutes } from './checkout-routes';
import { controlRoutes, type ControlDeps } from './control-routes';
import { badData, sendInternalError, sendPageNotFound, sendRefusal } from './errors';
import { tabbyFaultAnswers } from './faults';
import { paymentRoutes } from './payment-routes';
import { webhookRoutes } from './webhook-routes';

/** Everything the sandbox is made of; the control routes need all of it too. */
export type AppDeps = ControlDeps;

/** Body-parser failures carry their HTTP status: a body that is not JSON is Tabby's `could not decode request`. */
const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
  if (status < 500) {
    sendRefusal(res, badData('could not decode request'));
    return;
  }
  console.error('[tabby-sandbox] unhandled error:', error);
  sendInternalError(res);
};

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Payments are polled; a 304 from an ETag would be something Tabby never answers.
  app.set('etag', false);
  app.use('/api', faultInjection(deps.faults, tabbyFaultAnswers));
  app.use(checkoutRoutes(deps.config, deps.service));
  app.use(paymentRoutes(deps.config, deps.service, deps.store));
  app.use(webhookRoutes(deps.config, deps.registry));
  app.use(checkoutPageRoutes(deps.service));
  app.use('/_sandbox', express.json(), controlRoutes(deps));
  app.use((_req, res) => sendPageNotFound(res));
  app.use(errorHandler);
  return app;
}
