/**
 * Checkout endpoints (tabby.md §3): create and read a session, cancel it, and its QR image. The
 * QR image is the one call without authentication (seed 003): a POS fetches it directly.
 */
import { Router, type Request, type Response } from 'express';
import { bearerAuth, checkMerchantCode } from './auth';
import type { ResolvedConfig } from './config';
import { badData, notFound, Refusal, sendRefusal } from './errors';
import { answersIncomplete } from './faults';
import { jsonBody } from './json-body';
import type { TabbyService } from './payments';
import { qrPng } from './qr';
import { createSessionSchema } from './schemas';
import { validate } from './validation';
import { sessionLinks, sessionView } from './views';

/** Route parameters have to be spelled out where middleware sits between the path and the handler. */
type SessionParams = { sessionId: string };

export function checkoutRoutes(config: ResolvedConfig, service: TabbyService): Router {
  const router = Router();
  const auth = bearerAuth(config.secretKey);

  router.post('/api/v2/checkout', auth, jsonBody, (req, res) => {
    const body: unknown = req.body;
    const merchantCode = typeof body === 'object' && body !== null && 'merchant_code' in body ? body.merchant_code : undefined;
    const unknownMerchant = checkMerchantCode(merchantCode, config.merchantCodes);
    if (unknownMerchant) {
      sendRefusal(res, unknownMerchant);
      return;
    }
    const parsed = validate(createSessionSchema, body);
    if (parsed instanceof Refusal) {
      sendRefusal(res, parsed);
      return;
    }
    const record = service.createSession(parsed.data);
    res.json(sessionView(record, config.baseUrl, !answersIncomplete(req)));
  });

  router.get('/api/v2/checkout/:sessionId', auth, (req: Request<SessionParams>, res: Response) => {
    const record = service.session(req.params.sessionId);
    if (record instanceof Refusal) sendRefusal(res, record);
    else res.json(sessionView(record, config.baseUrl));
  });

  /** The body of a successful cancel is undocumented (open question 1): `{}`, so nobody relies on one. */
  router.post('/api/v2/checkout/:sessionId/cancel', auth, (req: Request<SessionParams>, res: Response) => {
    const record = service.cancelSession(req.params.sessionId);
    if (record instanceof Refusal) sendRefusal(res, record);
    else res.json({});
  });

  router.get('/api/v2/checkout/:sessionId/hpp_link_qr', (req, res, next) => {
    const token = req.query.token;
    if (typeof token !== 'string' || token === '') {
      sendRefusal(res, badData('token is required'));
      return;
    }
    const record = service.session(req.params.sessionId);
    const links = record instanceof Refusal ? null : sessionLinks(record, config.baseUrl);
    // A wrong token reveals nothing about the session: the same 404 as no session at all.
    if (record instanceof Refusal || links === null || token !== record.qrToken) {
      sendRefusal(res, notFound('no such session'));
      return;
    }
    qrPng(links.web_url).then((png) => {
      // seed 003: one QR per payment, never cached or reused.
      res.status(200).type('image/png').set('Cache-Control', 'no-store').send(png);
    }, next);
  });

  return router;
}
