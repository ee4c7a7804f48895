/**
 * `GET /v1/payments/{id}/qr.svg` and `.png`: the QR image of `qr.content`. A till calls it with
 * its Bearer key, or a browser loads the signed `qr.image_url` in an `<img>` (qr-links.ts). A
 * Bearer key decides on its own when it is sent (a valid key may load any of its merchant's QR
 * images, with or without a link that has meanwhile expired); otherwise the link must be genuine
 * (403 `link_invalid`) and current (403 `link_expired`: read the payment again for a fresh one).
 * Either way the payment is read as its merchant's, so another merchant's payment stays a 404.
 */
import { Router, type RequestHandler } from 'express';
import QRCode from 'qrcode';
import { z } from 'zod';
import { merchantOf, requireMerchant } from './auth';
import type { PaymentGateway } from './payment-gateway';
import { HttpProblem, problems } from './problem';
import { parseQuery } from './query';
import { SIGNATURE_PATTERN, type QrImageLinks } from './qr-links';

const linkQuery = z
  .strictObject({
    exp: z.string().regex(/^\d{1,12}$/, 'must be the link’s expiry in unix seconds').transform(Number).optional(),
    sig: z.string().regex(SIGNATURE_PATTERN, 'is not a signature this service issues').optional(),
  })
  .refine((query) => (query.exp === undefined) === (query.sig === undefined), { error: 'exp and sig come together, as in qr.image_url', path: ['sig'] });

const linkExpired = () => new HttpProblem(403, 'link_expired', 'This QR image link has expired; read the payment again for a fresh qr.image_url.');
const linkInvalid = () => new HttpProblem(403, 'link_invalid', 'This QR image link was not issued for this payment.');

/** Bearer key, or else a genuine, current signed link; sets the merchant as requireMerchant does. */
function bearerOrSignedLink(links: QrImageLinks, apiKeys: ReadonlyMap<string, string>): RequestHandler {
  const bearer = requireMerchant(apiKeys);
  return (req, res, next) => {
    const query = parseQuery(linkQuery, req.query);
    if (req.get('Authorization') !== undefined || query.exp === undefined || query.sig === undefined) return bearer(req, res, next);
    const verdict = links.verify(String(req.params.id), query.exp, query.sig);
    if (!verdict.ok) return next(verdict.reason === 'expired' ? linkExpired() : linkInvalid());
    res.locals.merchantId = verdict.merchantId;
    next();
  };
}

export function qrRoutes(gateway: PaymentGateway, links: QrImageLinks, apiKeys: ReadonlyMap<string, string>): Router {
  const router = Router();
  router.get('/:id/qr.:format', bearerOrSignedLink(links, apiKeys), async (req, res) => {
    const format = req.params.format;
    if (format !== 'svg' && format !== 'png') throw problems.notFound('QR images come as qr.svg or qr.png');
    const payment = await gateway.get(merchantOf(res), String(req.params.id));
    if (!payment.qr) throw problems.notFound(`payment ${payment.id} has no QR code in state ${payment.state}`);
    if (format === 'svg') {
      res.type('image/svg+xml').send(await QRCode.toString(payment.qr.content, { type: 'svg', margin: 2 }));
    } else {
      res.type('image/png').send(await QRCode.toBuffer(payment.qr.content, { type: 'png', margin: 2, scale: 8 }));
    }
  });
  return router;
}
