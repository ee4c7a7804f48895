/** The POS API (shared/spec/pos-api.md, "Payments"): HTTP in, gateway calls, payment resources out. */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { IngressProviders } from '../providers';
import { ID_PATTERN } from '../../workflows/ids';
import { PAYMENT_STATES, type PaymentResource } from '../../workflows/payment';
import { merchantOf } from './auth';
import { createRequestParser, providerName } from './create-request';
import { CURSOR_PATTERN } from './cursor';
import type { CommandAnswer, PaymentGateway } from './payment-gateway';
import type { TerminalGateway } from './terminal-gateway';
import type { WaitCapacity } from './wait-capacity';
import { problems } from './problem';
import { noQuery, parseBody as parse, parseQuery } from './query';

const LONG_POLL_MAX_SECONDS = 30;
const LONG_POLL_DEFAULT_SECONDS = 25;
/** How long an Idempotency-Key stays bound to its payment. */
const IDEMPOTENCY_KEY_MEMORY_MS = 24 * 3600 * 1000;

/** A non-negative decimal integer as a query string carries it (no `1e3`, `0x10`, `+1` or blanks). */
const queryInteger = (min: number, max: number) =>
  z.string().regex(/^\d{1,16}$/, 'must be a whole number').transform(Number).pipe(z.number().int().min(min).max(max));

export const getQuery = z.strictObject({
  wait_for_version: queryInteger(0, Number.MAX_SAFE_INTEGER).optional(),
  timeout: queryInteger(1, LONG_POLL_MAX_SECONDS).default(LONG_POLL_DEFAULT_SECONDS),
});
export const listQuery = (providers: readonly string[]) => z.strictObject({
  pos_id: z.string().regex(ID_PATTERN, 'must match ^[a-zA-Z0-9_.-]{1,64}$').optional(),
  state: z.enum(PAYMENT_STATES).optional(),
  provider: providerName(providers).optional(),
  limit: queryInteger(1, 100).default(20),
  cursor: z.string().regex(CURSOR_PATTERN, 'is not a cursor this listing gave out').optional(),
});
export const cancelBody = z.strictObject({ reason: z.string().max(255).nullish() }).default({});
export const captureBody = z.strictObject({ amount: z.number().int().positive().nullish() }).default({});
export const refundBody = z.strictObject({
  amount: z.number().int('must be an integer in minor units').positive('must be greater than 0'),
  refund_id: z.string().regex(ID_PATTERN, 'must match ^[a-zA-Z0-9_.-]{1,64}$').nullish(),
  reason: z.string().max(255).nullish(),
});

const idOf = (req: Request) => String(req.params.id);

/** The command's outcome (200), or 202 with the payment as it is while the command is still under way. */
function sendCommandAnswer(res: Response, answer: CommandAnswer<PaymentResource>): void {
  if ('pending' in answer) res.status(202).json(answer.pending);
  else res.json(answer.outcome);
}

export function paymentRoutes(gateway: PaymentGateway, terminals: TerminalGateway, waitCapacity: WaitCapacity, providers: IngressProviders): Router {
  const router = Router();
  const parseCreateRequest = createRequestParser(providers);
  const listing = listQuery([...providers.keys()]);

  router.post('/', noQuery, async (req, res) => {
    const request = parseCreateRequest(req.body);
    const tills = providers.get(request.provider)?.terminals;
    if (tills) await terminals.requireRegistered(merchantOf(res), request, tills.stickerField);
    const key = req.get('Idempotency-Key');
    if (key !== undefined) {
      if (!/^[\x21-\x7e]{1,255}$/.test(key)) throw problems.validation([{ field: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' }]);
      // The key is hashed into the workflow id, so it never appears in Temporal in clear.
      await gateway.claimIdempotencyKey(merchantOf(res), key, request, IDEMPOTENCY_KEY_MEMORY_MS);
    }
    // A repeat of an existing payment needs no new capacity: only new payments are refused.
    if (await waitCapacity.exhausted() && !(await gateway.exists(merchantOf(res), request))) throw problems.capacityExhausted();
    const { created, payment } = await gateway.open(merchantOf(res), request);
    res.status(created ? 201 : 200).json(payment);
  });

  router.get('/', async (req, res) => {
    const query = parseQuery(listing, req.query);
    res.json(await gateway.list(merchantOf(res), query, query.limit, query.cursor ?? null));
  });

  router.get('/:id', async (req, res) => {
    const query = parseQuery(getQuery, req.query);
    if (query.wait_for_version === undefined) return void res.json(await gateway.get(merchantOf(res), idOf(req)));
    // A till that hangs up stops the wait (the update itself stays for the next till that asks).
    const abandoned = new AbortController();
    res.on('close', () => abandoned.abort());
    res.json(await gateway.waitForVersion(merchantOf(res), idOf(req), query.wait_for_version, query.timeout * 1000, abandoned.signal));
  });

  router.post('/:id/cancel', noQuery, async (req, res) => {
    const body = parse(cancelBody, req.body);
    sendCommandAnswer(res, await gateway.cancel(merchantOf(res), idOf(req), body.reason ?? null));
  });

  router.post('/:id/capture', noQuery, async (req, res) => {
    const body = parse(captureBody, req.body);
    sendCommandAnswer(res, await gateway.capture(merchantOf(res), idOf(req), body.amount ?? null));
  });

  router.post('/:id/retry', noQuery, async (req, res) => {
    parse(z.strictObject({}).default({}), req.body);
    sendCommandAnswer(res, await gateway.retry(merchantOf(res), idOf(req)));
  });

  router.post('/:id/refunds', noQuery, async (req, res) => {
    const body = parse(refundBody, req.body);
    const refundId = body.refund_id ?? null;
    const answer = await gateway.refund(merchantOf(res), idOf(req), { amount: body.amount, refund_id: refundId, reason: body.reason ?? null });
    if ('pending' in answer) {
      const refund = refundId === null ? null : answer.pending.refunds.find((r) => r.refund_id === refundId) ?? null;
      res.status(202).json({ refund, payment: answer.pending });
      return;
    }
    res.status(201).json(answer.outcome);
  });

  return router;
}
