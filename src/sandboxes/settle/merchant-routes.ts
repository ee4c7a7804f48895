/**
 * Settle's Merchant API v1 endpoints the sandbox implements (settle.md §3). Authentication and
 * fault injection run before these handlers; here only validation, the service call and Settle's
 * answer shapes.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { authLevelOf } from './auth';
import { MERCHANT_API_PATH, type ResolvedConfig } from './config';
import { notFound, sendRefusal, unauthorized } from './errors';
import type { PaymentRecord, Shortlink } from './model';
import { toOutcome, toRequestView } from './outcome';
import type { PaymentService } from './payments';
import { jsonBodyOf } from './raw-body';
import { createPaymentRequestSchema, createShortlinkSchema, updatePaymentRequestSchema } from './schemas';
import type { SandboxStore } from './store';
import { isRefusal, validate } from './validation';

function parseBody<T extends z.ZodType>(req: Request, res: Response, schema: T): z.output<T> | undefined {
  const json = jsonBodyOf(req);
  const parsed = 'value' in json ? validate(schema, json.value) : json;
  if ('data' in parsed) return parsed.data;
  sendRefusal(res, parsed);
  return undefined;
}

function shortlinkView(link: Shortlink) {
  return {
    id: link.id,
    shortlink_value: `http://settle.eu/s/${link.id}/`,
    callback_uri: link.callbackUri,
    is_active: true,
    label: null,
    serial_number: null,
  };
}

export function merchantRoutes(config: ResolvedConfig, payments: PaymentService, store: SandboxStore): Router {
  const router = Router();
  /** Create answers carry the full URL in Location, bodies use paths (settle.md §1). */
  const resourceUrl = (path: string) => `${config.baseUrl}${MERCHANT_API_PATH}${path}`;
  const withRecord = (res: Response, tid: string, send: (record: PaymentRecord) => void) => {
    const found = payments.get(tid);
    if (isRefusal(found)) sendRefusal(res, found);
    else send(found);
  };

  router.post('/payment_request/', (req, res) => {
    const input = parseBody(req, res, createPaymentRequestSchema);
    if (input === undefined) return;
    const created = payments.create(input);
    if (isRefusal(created)) {
      sendRefusal(res, created);
      return;
    }
    res
      .status(created.status)
      .location(resourceUrl(`/payment_request/${created.record.tid}/`))
      .json({ id: created.record.tid, uri: null });
  });

  router.get('/payment_request/:tid/', (req, res) => {
    withRecord(res, req.params.tid, (record) => res.json(toRequestView(record)));
  });

  router.get('/payment_request/:tid/outcome/', (req, res) => {
    withRecord(res, req.params.tid, (record) => {
      record.outcomeReads += 1;
      res.json(toOutcome(record));
    });
  });

  router.put('/payment_request/:tid/', (req, res) => {
    const body = parseBody(req, res, updatePaymentRequestSchema);
    if (body === undefined) return;
    // Refund moves money back out: Settle requires the KEY level for it (settle.md §2.1).
    if (body.action === 'refund' && authLevelOf(req) !== 'KEY') {
      sendRefusal(res, unauthorized('Action refund requires KEY authentication level (RSA-SHA256)'));
      return;
    }
    const refused = payments.update(req.params.tid, body);
    if (refused) sendRefusal(res, refused);
    else res.status(204).end();
  });

  router.post('/shortlink/', (req, res) => {
    const body = parseBody(req, res, createShortlinkSchema);
    if (body === undefined) return;
    const link = store.addShortlink(body.callback_uri);
    res.status(201).location(resourceUrl(`/shortlink/${link.id}/`)).json({ id: link.id });
  });

  router.get('/shortlink/', (_req, res) => {
    res.json({ uris: store.listShortlinks().map((link) => `${MERCHANT_API_PATH}/shortlink/${link.id}/`), next: null, prev: null });
  });

  router.get('/shortlink/:id/', (req, res) => {
    const link = store.getShortlink(req.params.id);
    if (link) res.json(shortlinkView(link));
    else sendRefusal(res, notFound(`Shortlink ${req.params.id}`));
  });

  return router;
}
