// The Paysera app in the sandbox: scan the table's code (PAYSERA*<location>:<table>), check in
// there, wait for the waiter to put the order on the table, reserve or reject it.
import { customerApp } from './customer-app.js';
import { expectJson, until } from './kit.js';

/** The states in which the customer can still answer the order (Paysera's pending transaction states). */
const OPEN = ['new', 'waiting', 'waiting_funds', 'waiting_registration', 'waiting_password'];
/** Who checks in: one customer per open page, as one phone. */
const customer = `customer-${Math.random().toString(36).slice(2, 8)}`;

/** The order on the table that is waiting for this customer, with its transaction. */
async function openOrder(spotId) {
  const spot = (await expectJson('GET', '/_sandbox/spots')).find((candidate) => candidate.id === spotId);
  for (const order of spot?.orders ?? []) {
    const transaction = await expectJson('GET', `/_sandbox/transactions/${encodeURIComponent(order.transaction_key)}`);
    if (OPEN.includes(transaction.status)) return transaction;
  }
  return null;
}

customerApp({
  name: 'Paysera',
  codeLabel: 'Table code (e.g. PAYSERA*3:TABLE1)',
  scanLabel: 'Check in',
  async open(code, say, signal) {
    const spot = await expectJson('POST', '/_sandbox/spots/scan', { body: { code } });
    await expectJson('POST', `/_sandbox/spots/${spot.id}/check-in`, { body: { customer } });
    say(`Checked in at ${spot.identifier?.toUpperCase() ?? `spot ${spot.id}`}. Waiting for the order…`);
    const transaction = await until(() => openOrder(spot.id), 750, signal);
    const act = (action) => expectJson('POST', `/_sandbox/transactions/${encodeURIComponent(transaction.transaction_key)}/${action}`, { body: {} });
    const amount = transaction.payments.map((payment) => `${payment.price_decimal} ${payment.currency}`).join(' + ');
    return {
      amount,
      details: [...transaction.payments.map((payment) => payment.description), `Table ${spot.identifier?.toUpperCase() ?? spot.id}`].filter(Boolean),
      answers: [
        { label: 'Reserve', run: async () => { await act('reserve'); return `Reserved ${amount} for the shop.`; } },
        { label: 'Reject', kind: 'danger', run: async () => { await act('reject'); return 'Rejected: nothing was paid.'; } },
      ],
    };
  },
});
