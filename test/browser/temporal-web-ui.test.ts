/**
 * What an operator sees in the Temporal Web UI of the embedded dev server: a payment's page shows
 * its one-line summary and its current details, and the workflow list filters by the
 * `PaymentState` search attribute.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, newContext, screenshot, useBrowser } from '../support/browser';
import { useStack } from '../support/e2e-stack';
import { newTid } from '../support/pos';
import { payWithSettle } from '../support/settle-customer';

/**
 * Waits until `text` shows in one of the page's frames: the Web UI renders summaries and details
 * (markdown) in sandboxed iframes of their own.
 */
async function inSomeFrame(page: Page, text: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if ((await frame.locator('body').innerText({ timeout: 1000 }).catch(() => '')).includes(text)) return;
    }
    if (Date.now() > deadline) throw new Error(`no frame of ${page.url()} shows ${JSON.stringify(text)}`);
    await page.waitForTimeout(250);
  }
}

describe('the Temporal Web UI, in Chromium', { skip: browserSkip() }, () => {
  // Inside the suite, so a skipped suite starts no stack.
  const e2e = useStack({ uiPort: 0 });
  const browser = useBrowser();

  it('shows a payment’s summary and current details, and filters the list by PaymentState', async () => {
    const { stack, pos, settle } = e2e();
    const paidTid = newTid('ui-paid');
    const waitingTid = newTid('ui-waiting');
    const paid = (await pos.create({ provider: 'settle', pos_id: 'till-ui', pos_tid: paidTid, amount: 2000, currency: 'EUR' })).body;
    const waiting = (await pos.create({ provider: 'settle', pos_id: 'till-ui', pos_tid: waitingTid, amount: 1250, currency: 'EUR' })).body;
    await payWithSettle(pos, settle, paid);
    const runId = (await stack.client.workflow.getHandle(paid.id).describe()).runId;
    const namespace = `${stack.uiUrl!}/namespaces/${stack.namespace}`;

    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      // The payment's "User Metadata" tab: the summary, and the current details the workflow publishes.
      await page.goto(`${namespace}/workflows/${encodeURIComponent(paid.id)}/${runId}/user-metadata`);
      await inSomeFrame(page, `settle · 20.00 EUR · till-ui/${paidTid}`);
      await inSomeFrame(page, 'captured · 20.00 EUR');
      await inSomeFrame(page, 'captured 20.00, refunded 0.00');
      await screenshot(page, 'temporal-ui-payment');

      const listed = async (state: string, expected: string) => {
        await page.goto(`${namespace}/workflows?query=${encodeURIComponent(`PaymentState="${state}"`)}`);
        await page.getByText(expected).first().waitFor();
        return page.locator('body').innerText();
      };
      const capturedList = await listed('captured', paid.id);
      assert.ok(!capturedList.includes(waiting.id), 'the waiting payment is not listed under PaymentState="captured"');
      await screenshot(page, 'temporal-ui-list-captured');
      const waitingList = await listed('awaiting_customer', waiting.id);
      assert.ok(!waitingList.includes(paid.id), 'the captured payment is not listed under PaymentState="awaiting_customer"');
    } finally {
      await context.close();
    }
  });
});
