/**
 * Wires the HTTP surface: the merchant API behind fault injection, raw-body capture and
 * authentication (in that order, so a fault can strike before anything is read and the RSA check
 * sees the exact bytes), the control API beside it, and the customer page that plays the customer
 * through it in a browser.
 */
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { CUSTOMER_PAGE_PATH, customerPageRoutes } from '../shared/customer-page';
import { faultInjection } from '../shared/fault-injection';
import type { FaultRegistry } from '../shared/faults';
import { merchantAuth } from './auth';
import type { CallbackSender } from './callbacks';
import { MERCHANT_API_PATH, type ResolvedConfig } from './config';
import { controlRoutes } from './control-routes';
import { notFound, refusal, sendRefusal } from './errors';
import { merchantRoutes } from './merchant-routes';
import type { PaymentService } from './payments';
import type { FaultKind } from './schemas';
import type { SandboxStore } from './store';

export interface AppDeps {
  config: ResolvedConfig;
  payments: PaymentService;
  store: SandboxStore;
  callbacks: CallbackSender;
  faults: FaultRegistry<FaultKind>;
}

/** Body-parser failures (malformed JSON on /_sandbox, oversized bodies) carry their HTTP status. */
const errorHandler: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
  const status = typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number' ? error.status : 500;
  if (status >= 500) console.error('[settle-sandbox] unhandled error:', error);
  sendRefusal(res, refusal(status, status >= 500 ? 'server_error' : 'bad_request', error instanceof Error ? error.message : 'Request failed'));
};

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  // Settle's outcome is polled; a 304 from an ETag would be something Settle never answers.
  app.set('etag', false);
  app.use(
    MERCHANT_API_PATH,
    faultInjection(deps.faults, {
      status: (res, status, fault) =>
        res.status(status).json({ error_type: 'server_error', error_description: `Injected fault ${fault.id}: HTTP ${status}`, error_detail: null }),
    }),
    express.raw({ type: () => true, limit: '1mb' }),
    merchantAuth(deps.config),
    merchantRoutes(deps.config, deps.payments, deps.store),
  );
  app.use('/_sandbox', express.json(), controlRoutes(deps));
  app.use(CUSTOMER_PAGE_PATH, customerPageRoutes('Settle', join(__dirname, 'customer-page.js')));
  app.use((req, res) => sendRefusal(res, notFound(`${req.method} ${req.path}`)));
  app.use(errorHandler);
  return app;
}
