// The customer's phone, as a sandbox plays it: the scanned code, what there is to pay, and the
// customer's answers. Each sandbox's page says how a code leads to a bill (scan, check in, wait
// for the merchant) and what each answer calls on its /_sandbox control API; this module draws
// the screen, reports progress and errors, and stops a lookup that a new scan replaced.
import { h, show } from './kit.js';

/**
 * @param {object} app
 * @param {string} app.name               the app's name, e.g. "Settle"
 * @param {string} app.codeLabel          what the customer scans, e.g. "QR code"
 * @param {string} app.scanLabel          the button, e.g. "Scan" or "Check in"
 * @param {(code: string, say: (text: string) => void, signal: AbortSignal) => Promise<{
 *   amount: string, details: string[],
 *   answers: { label: string, kind?: 'secondary' | 'danger', run: () => Promise<string> }[] }>} app.open
 *   finds the bill for a code (scanning, checking in, waiting for the merchant as needed); `say`
 *   reports progress; each answer resolves with what the app shows afterwards
 */
export function customerApp(app) {
  const page = document.getElementById('page');
  const code = h('input', { id: 'code', name: 'code', autocomplete: 'off', value: new URLSearchParams(location.search).get('qr') ?? '' });
  const status = h('p', { id: 'status', class: 'muted', role: 'status' });
  const bill = h('section', { id: 'bill', class: 'card', hidden: true });
  let lookup = new AbortController();

  const fail = (error) => {
    status.className = 'error';
    status.textContent = error instanceof Error ? error.message : String(error);
  };
  const say = (text) => {
    status.className = 'muted';
    status.textContent = text;
  };

  const answer = async (run) => {
    for (const other of bill.querySelectorAll('button')) other.disabled = true;
    try {
      say(await run());
    } catch (error) {
      fail(error);
      for (const other of bill.querySelectorAll('button')) other.disabled = false;
    }
  };

  const scan = async (event) => {
    event.preventDefault();
    lookup.abort();
    lookup = new AbortController();
    const signal = lookup.signal;
    bill.hidden = true;
    try {
      const found = await app.open(code.value.trim(), say, signal);
      if (signal.aborted) return;
      show(bill,
        h('p', { class: 'muted' }, 'To pay'),
        h('p', { class: 'amount', id: 'amount' }, found.amount),
        found.details.map((line) => h('p', { class: 'muted' }, line)),
        h('div', { class: 'row' }, found.answers.map(({ label, kind, run }) =>
          h('button', { type: 'button', class: kind, onclick: () => answer(run) }, label))));
      bill.hidden = false;
      say('');
    } catch (error) {
      if (!signal.aborted) fail(error);
    }
  };

  show(page,
    h('h1', {}, `${app.name} app `, h('span', { class: 'muted' }, '(sandbox)')),
    h('form', { class: 'card', onsubmit: scan },
      h('label', { for: 'code' }, app.codeLabel),
      code,
      h('button', { type: 'submit', id: 'scan' }, app.scanLabel)),
    status,
    bill);
}
