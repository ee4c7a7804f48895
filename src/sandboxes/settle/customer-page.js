// The Settle app in the sandbox: scan the till's QR (http://settle.eu/s/<shortlink>/<argstring>),
// wait for the merchant's payment request that the scan leads to, approve or reject it.
import { customerApp } from './customer-app.js';
import { expectJson, money, until } from './kit.js';

const QR = /^https?:\/\/settle\.eu\/s\/([^/?#]+)\/?(.*)$/i;

customerApp({
  name: 'Settle',
  codeLabel: 'QR code (its content, e.g. http://settle.eu/s/sndbxQR/…)',
  scanLabel: 'Scan',
  async open(code, say, signal) {
    const match = QR.exec(code);
    if (!match) throw new Error('This is not a Settle QR code (http://settle.eu/s/<shortlink>/…).');
    const [, shortlink, argstring] = match;
    const { token } = await expectJson('POST', `/_sandbox/shortlinks/${encodeURIComponent(shortlink)}/scan`, { body: { argstring } });
    say('Scanned. Waiting for the shop’s payment request…');
    // The shop creates the request when Settle tells it about the scan; it names our scan token.
    const request = await until(async () => {
      const requests = await expectJson('GET', '/_sandbox/payment_requests', { signal });
      return requests.find((candidate) => candidate.scan_token === token && candidate.outcome.status === 'pending');
    }, 500, signal);
    const act = (action) => expectJson('POST', `/_sandbox/payment_requests/${encodeURIComponent(request.tid)}/${action}`, { body: {} });
    const amount = money(request.request.amount, request.request.currency);
    return {
      amount,
      details: [request.request.text, `Till ${request.request.pos_id}`, request.request.action === 'AUTH' ? 'The shop reserves the amount now and takes it later.' : null].filter(Boolean),
      answers: [
        { label: 'Approve', run: async () => ((await act('approve')).outcome.status === 'auth' ? `Approved: ${amount} reserved for the shop.` : `Paid ${amount}.`) },
        { label: 'Reject', kind: 'danger', run: async () => { await act('reject'); return 'Rejected: nothing was paid.'; } },
      ],
    };
  },
});
