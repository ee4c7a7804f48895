/**
 * One log line per ingress request, when it is answered: request id, route pattern, status, duration,
 * and — for a request about a payment — the payment's id, merchant and provider, read from the answer
 * itself (the payment resource, or the `payment` a problem carries), so no POS route has to log them.
 * A webhook's answer names no payment: its route says which one with `aboutPayment`.
 * The operations endpoints (`/metrics`, `/healthz`, `/readyz`) log at debug: scrapers call them all day.
 */
import type { RequestHandler } from 'express';
import type { Response } from 'express';
import { routePattern } from '../ingress/route-pattern';
import { parsePaymentId } from '../../workflows/ids';
import { logger } from './logger';

const QUIET_ROUTES = new Set(['/metrics', '/healthz', '/readyz']);

/** A payment resource's fields; anything else (a list, a till's registration) names no single payment. */
function paymentFields(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null) return {};
  const payment = 'payment' in body && typeof body.payment === 'object' && body.payment !== null ? body.payment : body;
  const { id, merchant_id, provider } = payment as Record<string, unknown>;
  return typeof id === 'string' && parsePaymentId(id) ? { payment_id: id, merchant_id, provider } : {};
}

/** Names the payment a request was about when its answer does not (a webhook). */
export function aboutPayment(res: Response, paymentId: string, provider: string): void {
  res.locals.aboutPayment = { payment_id: paymentId, merchant_id: parsePaymentId(paymentId)?.merchantId, provider };
}

export const accessLog: RequestHandler = (req, res, next) => {
  const started = performance.now();
  let about: Record<string, unknown> = {};
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    about = paymentFields(body);
    return json(body);
  };
  res.on('finish', () => {
    const route = routePattern(req);
    const fields = {
      request_id: res.getHeader('X-Request-Id'),
      method: req.method,
      route,
      status: res.statusCode,
      duration_ms: Math.round(performance.now() - started),
      merchant_id: res.locals.merchantId as string | undefined,
      ...(res.locals.aboutPayment as Record<string, unknown> | undefined),
      ...about,
    };
    if (res.statusCode >= 500) logger.error(fields, 'request failed');
    else if (QUIET_ROUTES.has(route)) logger.debug(fields, 'request');
    else logger.info(fields, 'request');
  });
  next();
};
