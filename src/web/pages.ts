/**
 * Browser pages of the service and of the sandboxes (the demo till, the API reference, the
 * customers' apps). Each is a fixed HTML shell, the page's own ES module and the shared kit
 * (assets/kit.js, assets/page.css), all files of this repository or of an installed package: no
 * template is ever filled with data. Data reaches a page only as JSON it fetches and puts into the
 * DOM as text (kit.js `h`), so nothing an answer holds can become markup. The
 * Content-Security-Policy keeps every page to its own origin: no inline script, no other host.
 */
import { join } from 'node:path';
import { Router, type Response } from 'express';

const ASSETS = join(__dirname, 'assets');

export interface PageSpec {
  title: string;
  /** The page's ES module, a browser file beside the code that mounts the page; served as `app.js`. */
  script: string;
  /** More files the page may load, URL name → path (e.g. a library's bundle in node_modules). */
  assets?: Record<string, string>;
  /** Names from `assets` the shell loads before the module: stylesheets (`.css`) and classic scripts (`.js`), in order. */
  head?: string[];
  /** `class` of the page's `<main>` (page.css: `narrow` for a phone-sized page). */
  layout?: string;
  /** False for a page styled wholly by a library, whose own styles page.css would fight. */
  kitStyles?: boolean;
  /** Policy relaxations a library needs, e.g. `{ style: "'unsafe-inline'" }`; each is added to its directive. */
  allow?: { style?: string; img?: string };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

function policy(allow: PageSpec['allow'] = {}): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self'${allow.style ? ` ${allow.style}` : ''}`,
    `img-src 'self' data:${allow.img ? ` ${allow.img}` : ''}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** The shell: every URL in it is the mount path plus a fixed file name. */
function shell(spec: PageSpec, base: string): string {
  const at = (name: string) => escapeHtml(`${base}/${name}`);
  const head = (spec.head ?? []).map((name) =>
    name.endsWith('.css') ? `<link rel="stylesheet" href="${at(name)}">` : `<script src="${at(name)}"></script>`);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(spec.title)}</title>
${spec.kitStyles === false ? '' : `<link rel="stylesheet" href="${at('page.css')}">`}
${head.join('\n')}
<script type="module" src="${at('app.js')}"></script>
</head><body><main id="page" class="${escapeHtml(spec.layout ?? '')}"></main></body></html>
`;
}

/**
 * The page's routes, to mount at its path (e.g. `app.use('/demo', pageRoutes(...))`): the shell at
 * the path itself, and exactly the listed files under it. Nothing else of any folder is served.
 */
export function pageRoutes(spec: PageSpec): Router {
  const router = Router();
  const secure = (res: Response) => res.set({ 'Content-Security-Policy': policy(spec.allow), 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'Cache-Control': 'no-cache' });
  router.get('/', (req, res) => void secure(res).type('html').send(shell(spec, req.baseUrl)));
  const files: Record<string, string> = { 'app.js': spec.script, 'kit.js': join(ASSETS, 'kit.js'), 'page.css': join(ASSETS, 'page.css'), ...spec.assets };
  for (const [name, path] of Object.entries(files)) {
    router.get(`/${name}`, (_req, res, next) => secure(res).sendFile(path, (error) => error && next(error)));
  }
  return router;
}
