/**
 * A sandbox's customer page, mounted at CUSTOMER_PAGE_PATH: the shared phone app
 * (customer-app.js) driven by the sandbox's own script, which calls only that sandbox's
 * /_sandbox control API, exactly as a test plays the customer. The demo till links here with the
 * payment's QR content in `?qr=`, so one person can play both sides.
 */
import { join } from 'node:path';
import type { Router } from 'express';
import { pageRoutes } from '../../web/pages';

export const CUSTOMER_PAGE_PATH = '/customer';

/** `script` is the sandbox's browser module (beside its app.ts) that calls `customerApp`. */
export function customerPageRoutes(appName: string, script: string): Router {
  return pageRoutes({ title: `${appName} app (sandbox)`, script, layout: 'narrow', assets: { 'customer-app.js': join(__dirname, 'customer-app.js') } });
}
