/**
 * Webhook management (tabby.md §3, §6): `/api/v1/webhooks`, with the secret key and the merchant
 * code in `X-Merchant-Code`. A body that does not validate is Tabby's 400 `bad_request`.
 */
import { Router, type Request, type Response } from 'express';
import { bearerAuth, merchantCodeHeader, merchantCodeOf } from './auth';
import type { ResolvedConfig } from './config';
import { badData, notFound, Refusal, sendRefusal } from './errors';
import { jsonBody } from './json-body';
import { webhookSchema, type WebhookRequest } from './schemas';
import type { RegisteredWebhook, WebhookRegistry } from './webhook-registry';

type WebhookParams = { webhookId: string };

function webhookView(hook: RegisteredWebhook) {
  return { id: hook.id, url: hook.url, header: hook.header, is_test: hook.isTest };
}

function parse(req: Request): WebhookRequest | Refusal {
  const parsed = webhookSchema.safeParse(req.body as unknown);
  return parsed.success ? parsed.data : badData('bad_request');
}

export function webhookRoutes(config: ResolvedConfig, registry: WebhookRegistry): Router {
  const router = Router();
  const auth = [bearerAuth(config.secretKey), merchantCodeHeader(config.merchantCodes)];
  const noSuchWebhook = notFound('no such webhook');
  const withHook = (req: Request<WebhookParams>, res: Response, then: (hook: RegisteredWebhook) => void) => {
    const hook = registry.get(merchantCodeOf(req), req.params.webhookId);
    if (hook === undefined) sendRefusal(res, noSuchWebhook);
    else then(hook);
  };

  router.post('/api/v1/webhooks', auth, jsonBody, (req: Request, res: Response) => {
    const body = parse(req);
    if (body instanceof Refusal) {
      sendRefusal(res, body);
      return;
    }
    // Every hook in the sandbox is a test hook unless the merchant says otherwise.
    const hook = registry.register(merchantCodeOf(req), { url: body.url, header: body.header ?? null, isTest: body.is_test ?? true });
    if (hook instanceof Refusal) sendRefusal(res, hook);
    else res.json(webhookView(hook));
  });

  // Tabby answers `null`, not `[]`, when none are registered (T1).
  router.get('/api/v1/webhooks', auth, (req: Request, res: Response) => {
    const hooks = registry.forMerchant(merchantCodeOf(req));
    res.json(hooks.length === 0 ? null : hooks.map(webhookView));
  });

  router.get('/api/v1/webhooks/:webhookId', auth, (req: Request<WebhookParams>, res: Response) => {
    withHook(req, res, (hook) => res.json(webhookView(hook)));
  });

  router.put('/api/v1/webhooks/:webhookId', auth, jsonBody, (req: Request<WebhookParams>, res: Response) => {
    withHook(req, res, (hook) => {
      const body = parse(req);
      if (body instanceof Refusal) {
        sendRefusal(res, body);
        return;
      }
      hook.url = body.url;
      // An update without a header keeps the registered one.
      if (body.header !== undefined) hook.header = body.header;
      if (body.is_test !== undefined) hook.isTest = body.is_test;
      res.json(webhookView(hook));
    });
  });

  router.delete('/api/v1/webhooks/:webhookId', auth, (req: Request<WebhookParams>, res: Response) => {
    withHook(req, res, (hook) => {
      registry.remove(hook);
      res.json({ status: 'ok' });
    });
  });

  return router;
}
