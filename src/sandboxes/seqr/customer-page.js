// The SEQR app in the sandbox: scan the till's sticker (HTTP://SEQR.SE/Q<seqr id>) or an invoice
// code (HTTP://SEQR.SE/R<reference>), see the invoice open there, pay or decline it.
import { customerApp } from './customer-app.js';
import { callJson, errorText, expectJson, until } from './kit.js';

const STICKER = /^HTTP:\/\/SEQR\.SE\/Q([A-Za-z0-9]+)$/i;
const INVOICE = /^HTTP:\/\/SEQR\.SE\/R(.+)$/i;

/** The invoice open on the sticker's till; the till may not have sent one yet ("waiting for amount"). */
async function invoiceAtSticker(seqrId, say, signal) {
  return until(async () => {
    const answer = await callJson('POST', `/_sandbox/seqr-ids/${encodeURIComponent(seqrId)}/scan`, { signal });
    if (answer.ok) return answer.body.invoice;
    if (answer.status !== 409) throw new Error(errorText(answer));
    say('Scanned. Waiting for the till to send the amount…');
    return null;
  }, 1000, signal);
}

customerApp({
  name: 'SEQR',
  codeLabel: 'QR code (the till’s sticker, e.g. HTTP://SEQR.SE/QSQ1001)',
  scanLabel: 'Scan',
  async open(code, say, signal) {
    const sticker = STICKER.exec(code);
    const printed = INVOICE.exec(code);
    if (!sticker && !printed) throw new Error('This is not a SEQR code (HTTP://SEQR.SE/Q<sticker> or …/R<invoice>).');
    const invoice = sticker
      ? await invoiceAtSticker(sticker[1], say, signal)
      : await expectJson('GET', `/_sandbox/invoices/${encodeURIComponent(printed[1])}`, { signal });
    const act = (move) => expectJson('POST', `/_sandbox/invoices/${encodeURIComponent(invoice.invoice_reference)}/${move}`, { body: {} });
    const amount = `${invoice.total_amount.value} ${invoice.total_amount.currency}`;
    return {
      amount,
      details: [`Invoice ${invoice.invoice_reference} at terminal ${invoice.terminal_id}`],
      answers: [
        { label: 'Pay', run: async () => { await act('pay'); return `Paid ${amount}.`; } },
        { label: 'Decline', kind: 'danger', run: async () => { await act('fail'); return 'Declined: nothing was paid.'; } },
      ],
    };
  },
});
