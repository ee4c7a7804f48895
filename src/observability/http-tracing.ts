/**
 * The ingress's server span per request, continuing the POS's trace when it sends `traceparent`.
 * The span is the active context for everything the request does, including the Temporal client's
 * calls (whose interceptor carries it into the workflow). Body parsers resume the request from stream
 * events, so the request and response emitters are bound to the span's context too. Named by the route
 * pattern once it is known, so span names stay bounded.
 */
import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import { routePattern } from '../ingress/route-pattern';

const tracer = trace.getTracer('pos-qr-payments/ingress');

export const traceRequests: RequestHandler = (req, res, next) => {
  const parent = propagation.extract(context.active(), req.headers);
  const span = tracer.startSpan(req.method, {
    kind: SpanKind.SERVER,
    attributes: { 'http.request.method': req.method, 'url.path': req.path, 'pos.request_id': String(res.getHeader('X-Request-Id')) },
  }, parent);
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    const route = routePattern(req);
    span.updateName(`${req.method} ${route}`);
    span.setAttributes({ 'http.route': route, 'http.response.status_code': res.statusCode });
    if (res.statusCode >= 500 || !res.writableFinished) span.setStatus({ code: SpanStatusCode.ERROR });
    span.end();
  };
  res.on('finish', end);
  res.on('close', end);
  const active = trace.setSpan(parent, span);
  context.bind(active, req);
  context.bind(active, res);
  context.with(active, next);
};
