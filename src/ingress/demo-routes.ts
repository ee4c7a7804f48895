/**
 * `GET /demo`: a till in the browser (demo/till.js) that plays a payment through the public POS
 * API, for people trying the service. Served only when enabled (`DEMO_PAGE=true`; `npm start`
 * turns it on): a production ingress has no demo. `GET /demo/config.json` tells the page which
 * providers there are, where a sandbox's customer page is, and, in the embedded development stack
 * only, the API key that stack made up (never a key from `POS_API_KEYS`: the page then asks). That
 * key goes only to a browser on the same machine: `npm start` listens on every interface.
 */
import { join } from 'node:path';
import { Router, type Request } from 'express';
import type { IngressProviders } from '../providers';
import { pageRoutes } from '../web/pages';

export interface DemoOptions {
  /** Prefilled in the page: only a key the development stack generated itself, else null. */
  apiKey: string | null;
  /** Each sandboxed provider's customer page (its `/customer`); a real provider has none. */
  customerPages: Partial<Record<string, string>>;
  /** The Temporal Web UI's page of the namespace (`…/namespaces/<ns>`), or null when none runs. */
  temporalUi: string | null;
}

const fromThisMachine = (req: Request) => ['127.0.0.1', '::1', '::ffff:127.0.0.1'].includes(req.socket.remoteAddress ?? '');

export function demoRoutes(options: DemoOptions, providers: IngressProviders): Router {
  const router = Router();
  const config = {
    providers: [...providers].map(([name, ingress]) => ({
      name,
      currencies: ingress.rules.currencies,
      sticker_field: ingress.terminals?.stickerField ?? null,
      customer_page: options.customerPages[name] ?? null,
    })),
    temporal_ui: options.temporalUi,
  };
  router.get('/config.json', (req, res) => void res.set('Cache-Control', 'no-store').json({ api_key: fromThisMachine(req) ? options.apiKey : null, ...config }));
  router.use(pageRoutes({ title: 'Till (demo)', script: join(__dirname, 'demo', 'till.js') }));
  return router;
}
