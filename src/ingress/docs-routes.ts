/**
 * `GET /docs`: the API reference, `/openapi.json` rendered by Swagger UI from the installed
 * `swagger-ui-dist` package (no CDN: the page works offline and always matches the running
 * service). Only the two files the page needs are served from the package.
 */
import { dirname, join } from 'node:path';
import type { Router } from 'express';
import { pageRoutes } from '../web/pages';

const SWAGGER_UI = dirname(require.resolve('swagger-ui-dist/package.json'));

export function docsRoutes(): Router {
  return pageRoutes({
    title: 'POS QR payments — API reference',
    script: join(__dirname, 'docs', 'reference.js'),
    assets: { 'swagger-ui.css': join(SWAGGER_UI, 'swagger-ui.css'), 'swagger-ui-bundle.js': join(SWAGGER_UI, 'swagger-ui-bundle.js') },
    head: ['swagger-ui.css', 'swagger-ui-bundle.js'],
    kitStyles: false,
    // Swagger UI sets style attributes as it renders.
    allow: { style: "'unsafe-inline'" },
  });
}
