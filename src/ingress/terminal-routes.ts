/**
 * `/v1/terminals/{pos_id}/{provider}` (contract, "SEQR terminals"): register and assign the sticker
 * (PUT, idempotent), show (GET), unregister (DELETE). The terminal reads like a resource: it exists
 * while the till is registered; GET and DELETE of a till that is not (never, or no longer) answer
 * 404 until a PUT registers it again. Only for providers with the terminal capability; the sticker
 * field keeps the provider's name (`seqr_id`). Passwords never appear here.
 */
import { Router, type Request } from 'express';
import { z } from 'zod';
import type { IngressProviders } from '../providers';
import { ID_PATTERN } from '../../workflows/ids';
import { STICKER_PATTERN, type TerminalResource } from '../../workflows/terminal';
import { merchantOf } from './auth';
import { problems } from './problem';
import { noQuery, parseBody } from './query';
import type { TerminalGateway } from './terminal-gateway';

function present(terminal: TerminalResource, stickerField: string) {
  const { sticker_id, ...rest } = terminal;
  return { ...rest, [stickerField]: sticker_id };
}

export function terminalRoutes(gateway: TerminalGateway, providers: IngressProviders): Router {
  const router = Router();
  const target = (req: Request) => {
    const posId = String(req.params.pos_id);
    const provider = String(req.params.provider);
    const terminals = providers.get(provider)?.terminals;
    if (!terminals) throw problems.notFound(`${provider} has no terminal registration`);
    if (!ID_PATTERN.test(posId)) throw problems.validation([{ field: 'pos_id', message: 'must match ^[a-zA-Z0-9_.-]{1,64}$' }]);
    return { posId, provider, stickerField: terminals.stickerField };
  };

  router.put('/:pos_id/:provider', noQuery, async (req, res) => {
    const { posId, provider, stickerField } = target(req);
    const parsed = parseBody(z.strictObject({ [stickerField]: z.string().regex(STICKER_PATTERN, 'must be alphanumeric'), name: z.string().min(1).max(64) }), req.body);
    const body = { sticker_id: String(parsed[stickerField]), name: String(parsed.name) };
    res.json(present(await gateway.register(merchantOf(res), posId, provider, body), stickerField));
  });

  router.get('/:pos_id/:provider', noQuery, async (req, res) => {
    const { posId, provider, stickerField } = target(req);
    res.json(present(await gateway.get(merchantOf(res), posId, provider), stickerField));
  });

  router.delete('/:pos_id/:provider', noQuery, async (req, res) => {
    const { posId, provider, stickerField } = target(req);
    res.json(present(await gateway.unregister(merchantOf(res), posId, provider), stickerField));
  });

  return router;
}
