/**
 * The page behind `web_url`: where Tabby's hosted checkout would be, a person (or a phone that
 * scanned the QR) plays the customer. Its buttons call the control API, the same way a test does.
 */
import { Router, type Request, type Response } from 'express';
import { Refusal } from './errors';
import type { PaymentRecord } from './model';
import type { TabbyService } from './payments';
import { toMajorUnits } from './money';

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function page(title: string, content: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
  body { font-family: system-ui, sans-serif; max-width: 26rem; margin: 2rem auto; padding: 0 1rem; }
  .amount { font-size: 2rem; font-weight: 600; }
  button { font-size: 1rem; padding: .6rem 1.2rem; margin: .3rem .3rem 0 0; cursor: pointer; }
  .muted { color: #666; font-size: .9rem; }
</style></head><body>${content}</body></html>`;
}

function checkoutPage(record: PaymentRecord): string {
  const amount = `${toMajorUnits(record.amount, record.currency)} ${record.currency}`;
  const details = `<p class="amount">${escapeHtml(amount)}</p>
<p class="muted">Order ${escapeHtml(record.referenceId)} · payment ${record.id}</p>`;
  if (record.status !== 'CREATED') {
    return page('Tabby sandbox checkout', `<h1>Tabby sandbox</h1>${details}<p>This checkout has ended: the payment is <b>${record.status}</b>.</p>`);
  }
  const base = `/_sandbox/sessions/${record.sessionId}`;
  return page(
    'Tabby sandbox checkout',
    `<h1>Tabby sandbox <button aria-label="Cancel" title="Cancel" data-action="cancel">×</button></h1>${details}
<button data-action="approve">Pay</button><button data-action="reject">Reject</button>
<p id="result" class="muted"></p>
<script>
  for (const button of document.querySelectorAll('button[data-action]')) {
    button.addEventListener('click', async () => {
      const answer = await fetch('${base}/' + button.dataset.action, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
      if (answer.ok) location.reload();
      else document.getElementById('result').textContent = (await answer.json()).error;
    });
  }
</script>`,
  );
}

export function checkoutPageRoutes(service: TabbyService): Router {
  const router = Router();
  router.get('/checkout/:sessionId', (req: Request<{ sessionId: string }>, res: Response) => {
    const record = service.session(req.params.sessionId);
    if (record instanceof Refusal) res.status(record.status).type('html').send(page('Tabby sandbox checkout', `<p>${escapeHtml(record.body.error)}</p>`));
    else res.type('html').send(checkoutPage(record));
  });
  return router;
}
