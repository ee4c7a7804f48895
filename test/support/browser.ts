/**
 * Headless Chromium for the browser tests: Debian's `chromium` package driven by playwright-core
 * (no browser download). `npm test` installs the package in CI (src/main/ensure-chromium.cjs);
 * elsewhere, without it, the browser suites skip and say how to install it. In CI a missing
 * browser is a failure, never a skip.
 *
 * Screenshots go to test-output/screenshots/ (ignored by git), or with UPDATE_SCREENSHOTS=1 to
 * docs/screenshots/, the committed set the README shows: a test run leaves the work tree clean.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const ROOT = join(__dirname, '..', '..');
export const SCREENSHOTS = join(ROOT, process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-output/screenshots');

/** For `describe(…, { skip })`: why the browser suites cannot run here, or false when they can (or must: CI). */
export function browserSkip(): string | false {
  if (existsSync(CHROMIUM) || process.env.CI === 'true') return false;
  return `${CHROMIUM} is missing; install it with \`apt-get update && apt-get install -y chromium\` (as root) to run the browser tests`;
}

/** One browser per suite (call it inside `describe`), started before its tests and closed after them. */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  before(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  });
  after(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('the browser is not running');
    return browser;
  };
}

/** A fresh context (cookies, storage) with a desktop-sized window. */
export function newContext(browser: Browser): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1200, height: 900 }, locale: 'en-GB', timezoneId: 'UTC' });
}

/**
 * Collects what must never happen on our pages: uncaught script errors and Content-Security-Policy
 * refusals (an inline script or a foreign host would show up here, not as a failed click).
 */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(`${page.url()}: ${message.text()}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
