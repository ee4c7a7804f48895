/**
 * A person plays both sides in a real browser, for every provider: the demo till (GET /demo)
 * starts the payment and shows its QR (a signed image URL, loaded by an <img> without a Bearer
 * key), the sandbox's customer page pays, the till follows the payment live to `captured`, and a
 * refund is made from the till. Screenshots of each step (see test/support/browser.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkip, newContext, pageProblems, screenshot, useBrowser } from '../support/browser';
import { useStack } from '../support/e2e-stack';

interface Scenario {
  provider: 'settle' | 'tabby' | 'seqr' | 'paysera';
  currency: string;
  mode: 'auto' | 'manual';
  /** Provider-specific choices on the till before starting (sticker, table). */
  prepare?: (till: Page) => Promise<void>;
  /** The customer's part on the page the till links to. */
  pay: (customer: Page) => Promise<void>;
  refund: string;
  refundedState: 'partially_refunded' | 'refunded';
}

const click = (page: Page, name: string) => page.getByRole('button', { name, exact: true }).click();
const seeText = (page: Page, text: string | RegExp) => page.getByText(text).first().waitFor();

const SCENARIOS: Scenario[] = [
  {
    provider: 'settle',
    currency: 'EUR',
    // Manual mode: the customer approves an authorization, the till captures it.
    mode: 'manual',
    pay: async (customer) => {
      await click(customer, 'Scan');
      await click(customer, 'Approve');
      await seeText(customer, /^Approved: 20\.00 EUR reserved/);
    },
    refund: '5.00',
    refundedState: 'partially_refunded',
  },
  {
    provider: 'tabby',
    currency: 'AED',
    mode: 'auto',
    // Tabby's QR is its checkout page: the till links the QR's own address.
    pay: async (customer) => {
      await click(customer, 'Pay');
      await seeText(customer, /This checkout has ended/);
    },
    refund: '5.00',
    refundedState: 'partially_refunded',
  },
  {
    provider: 'seqr',
    currency: 'SEK',
    mode: 'auto',
    prepare: (till) => till.locator('#sticker').fill('SQ7001'),
    pay: async (customer) => {
      await click(customer, 'Scan');
      await click(customer, 'Pay');
      await seeText(customer, 'Paid 20.00 SEK.');
    },
    refund: '5.00',
    refundedState: 'partially_refunded',
  },
  {
    provider: 'paysera',
    currency: 'EUR',
    mode: 'auto',
    prepare: async (till) => {
      await till.locator('#table option[value="PAYSERA*3:TABLE4"]').waitFor({ state: 'attached' });
      await till.locator('#table').selectOption('PAYSERA*3:TABLE4');
    },
    pay: async (customer) => {
      await click(customer, 'Check in');
      await click(customer, 'Reserve');
      await seeText(customer, 'Reserved 20.00 EUR for the shop.');
    },
    // Paysera refunds only in full.
    refund: '20.00',
    refundedState: 'refunded',
  },
];

/** Waits until the till shows the payment in `state`. */
const tillShows = (till: Page, state: string) => till.locator('#state').filter({ hasText: new RegExp(`^${state}$`) }).waitFor({ timeout: 30_000 });

// The stack and the browser start inside the suite, so a skipped suite starts neither.
describe('the demo till and the customer pages, in Chromium', { skip: browserSkip() }, () => {
  const e2e = useStack({ env: { DEMO_PAGE: 'true' } });
  const browser = useBrowser();

  for (const scenario of SCENARIOS) {
    it(`${scenario.provider}: the till starts, the customer pays, the till shows captured, then refunds`, async () => {
      const { stack, pos } = e2e();
      const context = await newContext(browser());
      try {
        const till = await context.newPage();
        const problems = pageProblems(till);
        await till.goto(`${stack.ingressUrl}/demo`);
        await till.locator('#api-key').fill('key-a');
        await till.locator('#provider').selectOption(scenario.provider);
        await till.locator('#currency').selectOption(scenario.currency);
        await till.locator('#mode').selectOption(scenario.mode);
        await till.locator('#pos-id').fill(`till-${scenario.provider}`);
        await scenario.prepare?.(till);
        const paymentId = `pay:m-a:till-${scenario.provider}:${await till.locator('#pos-tid').inputValue()}`;
        await click(till, 'Start payment');

        // The QR is shown large, as an image the browser loaded without the Bearer key.
        await tillShows(till, 'awaiting_customer');
        const width = await till.locator('#qr').evaluate(async (img: { decode(): Promise<void>; naturalWidth: number }) => {
          await img.decode();
          return img.naturalWidth;
        });
        assert.ok(width > 0, 'the QR image loaded');
        assert.match(await till.locator('#qr').getAttribute('src') ?? '', /\/qr\.svg\?exp=\d+&sig=/);
        await screenshot(till, `${scenario.provider}-1-till-qr`);

        const [customer] = await Promise.all([context.waitForEvent('page'), till.locator('#customer-link').click()]);
        problems.push(...pageProblems(customer));
        await customer.waitForLoadState();
        await scenario.pay(customer);
        await screenshot(customer, `${scenario.provider}-2-customer`);

        if (scenario.mode === 'manual') {
          await tillShows(till, 'authorized');
          await click(till, 'Capture');
        }
        await tillShows(till, 'captured');
        await screenshot(till, `${scenario.provider}-3-till-captured`);

        await till.locator('#refund-amount').fill(scenario.refund);
        await click(till, 'Refund');
        await tillShows(till, scenario.refundedState);
        await till.locator('#refunds tr', { hasText: 'succeeded' }).waitFor();
        await screenshot(till, `${scenario.provider}-4-till-refunded`);

        const payment = (await pos.get(paymentId)).body;
        assert.equal(payment.state, scenario.refundedState);
        assert.equal(payment.captured_amount, 2000);
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }

  it('GET /docs renders /openapi.json with Swagger UI from node_modules', async () => {
    const context = await newContext(browser());
    try {
      const page = await context.newPage();
      const problems = pageProblems(page);
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      await page.goto(`${e2e().stack.ingressUrl}/docs`);
      await seeText(page, 'POS QR payments');
      await page.locator('.opblock-summary-path', { hasText: '/v1/payments/{id}/qr.svg' }).first().waitFor();
      await screenshot(page, 'docs-api-reference');
      assert.deepEqual(requested.filter((url) => !url.startsWith(e2e().stack.ingressUrl) && !url.startsWith('data:')), [], 'nothing is loaded from another host');
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});
