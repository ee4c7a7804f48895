/**
 * The SEQR sandbox through our real SOAP client: context authentication (20/21/29/37), terminals
 * and SEQR ids, invoices (validation codes, one open invoice per terminal, the version counter and
 * its acknowledgements), the customer through the control API, notificationUrl calls, reversal of
 * unpolled payments, cancel/refund/receipt codes, and every injected fault. Notifications land on
 * a small local receiver.
 */
import assert from 'node:assert/strict';
import type { IncomingHttpHeaders } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import { SeqrClient, type SeqrInvoice, type SeqrPrincipal, type SeqrResult } from '../../activities/seqr/client';
import { ProviderUnavailableError } from '../../activities/http-json';
import { startSeqrSandbox, type RunningSeqrSandbox } from '../../src/sandboxes/seqr';
import type { InvoiceInspection, TerminalView } from '../../src/sandboxes/seqr/views';
import { call, eventually } from '../support/http';
import { RecordingServer } from '../support/recording-server';

const RESELLER = { id: 'fredellsfisk', userId: '9900', password: 'reseller-pw' };
const OTHER_RESELLER = { id: 'otherfish', userId: '9901', password: 'other-pw' };
const asReseller = (reseller = RESELLER): SeqrPrincipal => ({ type: 'RESELLERUSER', ...reseller });

interface Notification {
  url: string;
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Records every notificationUrl call. */
class NotificationReceiver {
  readonly received: Notification[] = [];
  url = '';

  private readonly http = new RecordingServer((request) => {
    this.received.push({ url: request.path, method: request.method, headers: request.headers, body: request.body.toString('utf8') });
    return undefined;
  });

  async start(): Promise<void> {
    this.url = await this.http.start();
  }

  stop(): Promise<void> {
    return this.http.stop();
  }
}

let orderSeq = 0;

function invoice(overrides: Partial<SeqrInvoice> = {}): SeqrInvoice {
  return {
    paymentMode: 'IMMEDIATE_DEBIT',
    acknowledgmentMode: 'NO_ACKNOWLEDGMENT',
    issueDate: '2026-02-27T14:35:10',
    title: 'Store 111',
    clientInvoiceId: `order-${++orderSeq}`,
    invoiceRows: [
      { itemDescription: 'Coffee', itemQuantity: '2', itemTotalAmount: { value: '100.00', currency: 'SEK' } },
      { itemDescription: 'Discount', itemQuantity: '1', itemTotalAmount: { value: '-0.01', currency: 'SEK' } },
      { itemDescription: 'Cake', itemQuantity: '1', itemTotalAmount: { value: '50.00', currency: 'SEK' } },
    ],
    totalAmount: { value: '149.99', currency: 'SEK' },
    cashierId: 'John00232',
    footer: 'Thank you',
    ...overrides,
  };
}

/** Narrows a result to success, failing the test with SEQR's description otherwise. */
function succeeded<T extends object>(result: SeqrResult<T>): T & { resultCode: 0 } {
  assert.equal(result.resultCode, 0, result.resultDescription);
  return result;
}

/** One running sandbox and what a test does with it. */
class World {
  readonly client: SeqrClient;

  constructor(readonly sandbox: RunningSeqrSandbox) {
    this.client = new SeqrClient({ endpoint: sandbox.endpoint, requestTimeoutMs: 5_000, clientId: 'Acme POS 1.2.3' });
  }

  control<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) {
    return call<T>(method, `${this.sandbox.url}/_sandbox/${path}`, body === undefined ? {} : { body });
  }

  async terminal(password = 'till-secret', externalTerminalId = 'Store 111/Till 4'): Promise<SeqrPrincipal & { type: 'TERMINALID' }> {
    const { terminalId } = succeeded(await this.client.registerTerminal(asReseller(), { externalTerminalId, password, name: 'Till 4' }));
    return { type: 'TERMINALID', id: terminalId, password };
  }

  async send(terminal: SeqrPrincipal, overrides: Partial<SeqrInvoice> = {}): Promise<string> {
    return succeeded(await this.client.sendInvoice(terminal, invoice(overrides))).invoiceReference;
  }

  async inspect(reference: string): Promise<InvoiceInspection> {
    const answer = await this.control<InvoiceInspection>('GET', `invoices/${reference}`);
    assert.equal(answer.status, 200);
    return answer.body;
  }

  async customer(reference: string, action: 'pay' | 'start-payment' | 'fail'): Promise<InvoiceInspection> {
    const answer = await this.control<InvoiceInspection>('POST', `invoices/${reference}/${action}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    return answer.body;
  }

  /** A paid invoice whose payment the terminal has seen (so no reversal): its ersReference. */
  async paid(terminal: SeqrPrincipal, overrides: Partial<SeqrInvoice> = {}): Promise<{ reference: string; ersReference: string }> {
    const reference = await this.send(terminal, overrides);
    await this.customer(reference, 'pay');
    const status = succeeded(await this.client.getPaymentStatus(terminal, reference, 1));
    assert.ok(status.ersReference);
    return { reference, ersReference: status.ersReference };
  }

  async fault(body: Record<string, unknown>): Promise<void> {
    const answer = await this.control('POST', 'faults', body);
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
  }
}

const receiver = new NotificationReceiver();
const REVERSAL_SECONDS = 1;
let world: World;
/** Reverses after REVERSAL_SECONDS; `world` has SEQR's 20 s, so its tests never race a reversal. */
let hasty: World;

before(async () => {
  await receiver.start();
  world = new World(await startSeqrSandbox({ resellers: [RESELLER, OTHER_RESELLER] }));
  hasty = new World(await startSeqrSandbox({ resellers: [RESELLER], reversalSeconds: REVERSAL_SECONDS }));
});

after(async () => {
  await Promise.all([world.sandbox.close(), hasty.sandbox.close()]);
  await receiver.stop();
});

void describe('terminals and credentials', () => {
  void it('registers a terminal for a reseller user: a 32-hex terminalId, listed without its password', async () => {
    const result = succeeded(await world.client.registerTerminal(asReseller(), { externalTerminalId: 'Store 1/Till 1', password: 'till-secret', name: 'Till 1' }));
    assert.match(result.terminalId, /^[0-9a-f]{32}$/);
    const terminals = (await world.control<TerminalView[]>('GET', 'terminals')).body;
    const listed = terminals.find((terminal) => terminal.terminal_id === result.terminalId);
    assert.deepEqual({ ...listed, registered_at: undefined }, {
      terminal_id: result.terminalId,
      reseller_id: RESELLER.id,
      external_terminal_id: 'Store 1/Till 1',
      name: 'Till 1',
      seqr_id: null,
      sticker_qr_code: null,
      registered: true,
      registered_at: undefined,
      current_invoice: null,
    });
    assert.doesNotMatch(JSON.stringify(terminals), /till-secret/);
  });

  void it('registers a new terminal for a repeated externalTerminalId, as SEQR does', async () => {
    const first = await world.terminal('till-secret', 'Store 9/Till 9');
    const second = await world.terminal('till-secret', 'Store 9/Till 9');
    assert.notEqual(first.id, second.id);
    const terminals = (await world.control<TerminalView[]>('GET', 'terminals')).body;
    assert.equal(terminals.filter((terminal) => terminal.external_terminal_id === 'Store 9/Till 9').length, 2);
  });

  void it('answers 21 for a short terminal password, 20 for a wrong reseller password, 37 for an unknown reseller user', async () => {
    const terminal = { externalTerminalId: 'x', password: 'abc', name: 'x' };
    assert.equal((await world.client.registerTerminal(asReseller(), terminal)).resultCode, 21);
    const valid = { ...terminal, password: 'abcd' };
    assert.equal((await world.client.registerTerminal(asReseller({ ...RESELLER, password: 'wrong' }), valid)).resultCode, 20);
    assert.equal((await world.client.registerTerminal(asReseller({ ...RESELLER, id: 'nobody' }), valid)).resultCode, 37);
    assert.equal((await world.client.registerTerminal(asReseller({ ...RESELLER, userId: '1234' }), valid)).resultCode, 37);
  });

  void it('answers 20 for a wrong terminal password, 29 for an unknown terminal, 21 for a terminal registering terminals', async () => {
    const terminal = await world.terminal();
    assert.equal((await world.client.sendInvoice({ ...terminal, password: 'wrong' }, invoice())).resultCode, 20);
    assert.equal((await world.client.getPaymentStatus({ ...terminal, id: '0'.repeat(32) }, '1', 0)).resultCode, 29);
    assert.equal((await world.client.registerTerminal(terminal, { externalTerminalId: 'x', password: 'abcd', name: 'x' })).resultCode, 21);
  });

  void it('unregisters a terminal through its own context; a reseller context names no terminal (91)', async () => {
    const terminal = await world.terminal();
    const reference = await world.send(terminal);
    assert.equal((await world.client.unregisterTerminal(asReseller())).resultCode, 91);
    succeeded(await world.client.unregisterTerminal(terminal));
    assert.equal((await world.client.sendInvoice(terminal, invoice())).resultCode, 29, 'an unregistered terminal is unknown');
    assert.equal((await world.inspect(reference)).status, 'CANCELED', 'its open invoice went with it');
  });

  void it('assigns alphanumeric SEQR ids, unique across terminals (53)', async () => {
    const first = await world.terminal();
    const second = await world.terminal();
    succeeded(await world.client.assignSeqrId(first, 'STICKER1'));
    succeeded(await world.client.assignSeqrId(first, 'STICKER1'));
    assert.equal((await world.client.assignSeqrId(second, 'STICKER1')).resultCode, 53);
    assert.equal((await world.client.assignSeqrId(second, 'my_qr_code')).resultCode, 53);
    const listed = (await world.control<TerminalView[]>('GET', 'terminals')).body.find((terminal) => terminal.terminal_id === first.id);
    assert.equal(listed?.sticker_qr_code, 'HTTP://SEQR.SE/QSTICKER1');
  });
});

void describe('invoices', () => {
  void it('issues an invoice: a 13-digit reference, its QR code, ISSUED at version 1', async () => {
    const terminal = await world.terminal();
    const sent = succeeded(await world.client.sendInvoice(terminal, invoice()));
    assert.match(sent.invoiceReference, /^\d{13}$/);
    assert.equal(sent.invoiceQRCode, `HTTP://SEQR.SE/R${sent.invoiceReference}`);
    const status = succeeded(await world.client.getPaymentStatus(terminal, sent.invoiceReference, 0));
    assert.deepEqual({ status: status.status, version: status.version, ersReference: status.ersReference }, { status: 'ISSUED', version: 1, ersReference: undefined });
  });

  void it('refuses rows that do not add up (49), an unaccepted currency (49), a non-http notificationUrl (64), a zero total (11)', async () => {
    const terminal = await world.terminal();
    const check = async (overrides: Partial<SeqrInvoice>, code: number, description: RegExp) => {
      const result = await world.client.sendInvoice(terminal, invoice(overrides));
      assert.equal(result.resultCode, code, result.resultDescription);
      assert.match(result.resultDescription, description);
    };
    await check({ totalAmount: { value: '150.00', currency: 'SEK' } }, 49, /rows add up to 149.99, totalAmount is 150.00/);
    const usd = { value: '10.00', currency: 'USD' };
    await check({ totalAmount: usd, invoiceRows: [{ itemQuantity: '1', itemTotalAmount: usd }] }, 49, /USD is not accepted/);
    await check({ notificationUrl: 'ftp://pos.example/notify' }, 64, /INVALID_NOTIFICATION_URL/);
    await check({ notificationUrl: 'pos.example/notify' }, 64, /http/);
    const zero = { value: '0.00', currency: 'SEK' };
    await check({ totalAmount: zero, invoiceRows: [{ itemQuantity: '1', itemTotalAmount: zero }] }, 11, /positive/);
    await check({ totalAmount: { value: '149.999', currency: 'SEK' } }, 49, /not a SEK amount/);
    const invoices = (await world.control<InvoiceInspection[]>('GET', `invoices?terminal_id=${terminal.id}`)).body;
    assert.equal(invoices.length, 0, 'no refused invoice exists');
  });

  void it('cancels the terminal\'s previous open invoice when a new one is sent', async () => {
    const terminal = await world.terminal();
    const first = await world.send(terminal);
    const second = await world.send(terminal);
    const previous = succeeded(await world.client.getPaymentStatus(terminal, first, 0));
    assert.deepEqual([previous.status, previous.version], ['CANCELED', 2]);
    assert.equal(succeeded(await world.client.getPaymentStatus(terminal, second, 0)).status, 'ISSUED');
    assert.deepEqual((await world.inspect(first)).actions.map((action) => action.action), ['sendInvoice', 'replaced', 'getPaymentStatus']);
  });

  void it('does not replace an invoice the customer is paying (48)', async () => {
    const terminal = await world.terminal();
    const reference = await world.send(terminal);
    await world.customer(reference, 'start-payment');
    assert.equal((await world.client.sendInvoice(terminal, invoice())).resultCode, 48);
    assert.equal((await world.inspect(reference)).status, 'PENDING_ISSUER_ACKNOWLEDGE');
  });

  void it('counts versions on every status change and records each acknowledged invoiceVersion', async () => {
    const terminal = await world.terminal();
    const reference = await world.send(terminal);
    assert.equal(succeeded(await world.client.getPaymentStatus(terminal, reference, 0)).version, 1);
    await world.customer(reference, 'start-payment');
    const pending = succeeded(await world.client.getPaymentStatus(terminal, reference, 1));
    assert.deepEqual([pending.status, pending.version], ['PENDING_ISSUER_ACKNOWLEDGE', 2]);
    await world.customer(reference, 'pay');
    const paid = succeeded(await world.client.getPaymentStatus(terminal, reference, 2));
    assert.deepEqual([paid.status, paid.version], ['PAID', 3]);
    succeeded(await world.client.getPaymentStatus(terminal, reference, 3));
    const inspection = await world.inspect(reference);
    assert.deepEqual(inspection.acknowledged_versions, [0, 1, 2, 3]);
    assert.equal(inspection.polls, 4);
  });

  void it('answers 54 for an unknown invoice and for another terminal\'s invoice', async () => {
    const terminal = await world.terminal();
    const other = await world.terminal();
    const reference = await world.send(terminal);
    assert.equal((await world.client.getPaymentStatus(terminal, '1234567890123', 0)).resultCode, 54);
    assert.equal((await world.client.getPaymentStatus(other, reference, 0)).resultCode, 54);
    assert.equal((await world.client.cancelInvoice(other, reference)).resultCode, 54);
  });
});

void describe('the customer pays', () => {
  void it('finds the open invoice by scanning the till\'s sticker', async () => {
    const terminal = await world.terminal();
    succeeded(await world.client.assignSeqrId(terminal, 'TILL4SCAN'));
    assert.equal((await world.control('POST', 'seqr-ids/TILL4SCAN/scan')).status, 409, 'nothing open yet');
    const reference = await world.send(terminal);
    const scanned = await world.control<{ invoice: InvoiceInspection; terminal: TerminalView }>('POST', 'seqr-ids/TILL4SCAN/scan');
    assert.equal(scanned.status, 200);
    assert.equal(scanned.body.invoice.invoice_reference, reference);
    assert.equal(scanned.body.terminal.terminal_id, terminal.id);
    assert.equal((await world.control('POST', 'seqr-ids/NOSUCHSTICKER/scan')).status, 404);
  });

  void it('pays: PAID with ersReference and receipt, and a POST to the notificationUrl', async () => {
    const terminal = await world.terminal();
    const notificationUrl = `${receiver.url}/seqr/notify?order=order-pay&notification=true`;
    const reference = await world.send(terminal, { clientInvoiceId: 'order-pay', notificationUrl });
    await world.customer(reference, 'pay');
    const notification = await eventually('the notification', () => receiver.received.find((received) => received.url.includes('order=order-pay')));
    assert.equal(notification.method, 'POST');
    assert.equal(notification.body, '');
    const status = succeeded(await world.client.getPaymentStatus(terminal, reference, 1));
    assert.equal(status.status, 'PAID');
    assert.match(status.ersReference ?? '', /^\d{25}$/);
    assert.deepEqual({ ...status.receipt, paymentDate: undefined, payerTerminalId: undefined }, {
      terminalId: terminal.id,
      paymentDate: undefined,
      clientInvoiceId: 'order-pay',
      invoiceReference: reference,
      paymentReference: status.ersReference,
      payerTerminalId: undefined,
      receiverName: 'Till 4',
    });
    const log = (await world.control<{ invoice_reference: string; status: number }[]>('GET', 'notifications')).body;
    assert.deepEqual(log.filter((entry) => entry.invoice_reference === reference).map((entry) => entry.status), [200]);
  });

  void it('lets the customer fail a payment, and refuses moves from the wrong status (409)', async () => {
    const terminal = await world.terminal();
    const reference = await world.send(terminal);
    assert.equal((await world.customer(reference, 'fail')).status, 'FAILED');
    assert.equal((await world.control('POST', `invoices/${reference}/pay`)).status, 409);
    assert.equal((await world.control('POST', 'invoices/9999999999999/pay')).status, 404);
  });
});

void describe('reversal of unpolled payments', () => {
  void it('reverses a payment nobody polled within reversalSeconds: CANCELED, version + 1, no ersReference', async () => {
    const terminal = await hasty.terminal();
    const reference = await hasty.send(terminal);
    const paid = await hasty.customer(reference, 'pay');
    assert.ok(paid.payment?.reverses_at);
    const reversed = await eventually('the reversal', async () => {
      const inspection = await hasty.inspect(reference);
      return inspection.status === 'CANCELED' ? inspection : undefined;
    });
    assert.equal(reversed.version, 3);
    assert.equal(reversed.actions.at(-1)?.action, 'reversed');
    const status = succeeded(await hasty.client.getPaymentStatus(terminal, reference, 2));
    assert.deepEqual([status.status, status.version, status.ersReference, status.receipt], ['CANCELED', 3, undefined, undefined]);
    assert.equal((await hasty.client.refundPayment(terminal, paid.payment.ers_reference, { title: 'Refund', cashierId: 'Bob', totalAmount: { value: '1.00', currency: 'SEK' } })).resultCode, 23);
  });

  void it('does not reverse a payment the terminal polled after paying', async () => {
    const terminal = await hasty.terminal();
    const polled = await hasty.send(terminal);
    await hasty.customer(polled, 'pay');
    assert.equal(succeeded(await hasty.client.getPaymentStatus(terminal, polled, 1)).status, 'PAID');
    // A payment made later and never polled: once it is reversed, the polled one's window has passed too.
    const other = await hasty.terminal();
    const witness = await hasty.send(other);
    await hasty.customer(witness, 'pay');
    await eventually('the witness reversal', async () => (await hasty.inspect(witness)).status === 'CANCELED');
    const inspection = await hasty.inspect(polled);
    assert.equal(inspection.status, 'PAID');
    assert.deepEqual([inspection.payment?.polled_after_payment, inspection.payment?.reverses_at], [true, null]);
  });
});

void describe('cancel, refund, receipt', () => {
  void it('cancels: ISSUED 0, again 95, PAID 50, in progress 51', async () => {
    const terminal = await world.terminal();
    const issued = await world.send(terminal);
    succeeded(await world.client.cancelInvoice(terminal, issued));
    assert.equal((await world.client.cancelInvoice(terminal, issued)).resultCode, 95);
    const inProgress = await world.send(terminal);
    await world.customer(inProgress, 'start-payment');
    assert.equal((await world.client.cancelInvoice(terminal, inProgress)).resultCode, 51);
    await world.customer(inProgress, 'pay');
    assert.equal((await world.client.cancelInvoice(terminal, inProgress)).resultCode, 50);
    const actions = (await world.inspect(inProgress)).actions.filter((action) => action.action === 'cancelInvoice');
    assert.deepEqual(actions.map((action) => action.result_code), [51, 50]);
  });

  void it('refunds partially with new ersReferences, up to the payment (98); unknown payments are 23', async () => {
    const terminal = await world.terminal();
    const { reference, ersReference } = await world.paid(terminal);
    const refund = (value: string, currency = 'SEK') => ({ title: 'Refund', cashierId: 'Bob', totalAmount: { value, currency } });
    const first = succeeded(await world.client.refundPayment(terminal, ersReference, refund('100.00')));
    assert.match(first.ersReference, /^\d{25}$/);
    assert.notEqual(first.ersReference, ersReference);
    assert.equal((await world.client.refundPayment(terminal, ersReference, refund('50.00'))).resultCode, 98);
    assert.equal((await world.client.refundPayment(terminal, ersReference, refund('10.00', 'EUR'))).resultCode, 49);
    succeeded(await world.client.refundPayment(terminal, ersReference, refund('49.99')));
    assert.equal((await world.client.refundPayment(terminal, ersReference, refund('0.01'))).resultCode, 98);
    assert.equal((await world.client.refundPayment(terminal, '2012050100000000000000001', refund('1.00'))).resultCode, 23);
    const sameResellerTill = await world.terminal();
    assert.equal((await world.client.refundPayment(sameResellerTill, ersReference, refund('1.00'))).resultCode, 98, 'any till of the reseller may refund');
    const inspection = await world.inspect(reference);
    assert.deepEqual(inspection.refunded_amount, { value: '149.99', currency: 'SEK' });
    assert.deepEqual(inspection.refunds.map((entry) => entry.amount.value), ['100.00', '49.99']);
  });

  void it('keeps one reseller\'s payments from another\'s terminals (23)', async () => {
    const { ersReference } = await world.paid(await world.terminal());
    const { terminalId } = succeeded(await world.client.registerTerminal(asReseller(OTHER_RESELLER), { externalTerminalId: 'Other/1', password: 'abcd', name: 'Other' }));
    const foreign: SeqrPrincipal = { type: 'TERMINALID', id: terminalId, password: 'abcd' };
    assert.equal((await world.client.refundPayment(foreign, ersReference, { title: 'R', cashierId: 'B', totalAmount: { value: '1.00', currency: 'SEK' } })).resultCode, 23);
    assert.equal((await world.client.submitPaymentReceipt(foreign, ersReference)).resultCode, 23);
  });

  void it('accepts a payment receipt for a known ersReference (0) and refuses others (23)', async () => {
    const terminal = await world.terminal();
    const { reference, ersReference } = await world.paid(terminal);
    const document = { mimeType: 'text/html', receiptData: Buffer.from('<p>SEQR payment 149.99 SEK</p>').toString('base64'), receiptType: 'SALE' };
    succeeded(await world.client.submitPaymentReceipt(terminal, ersReference, document));
    assert.equal((await world.client.submitPaymentReceipt(terminal, '2012050100000000000000001')).resultCode, 23);
    const [receipt] = (await world.inspect(reference)).receipts;
    assert.deepEqual({ mimeType: receipt?.mimeType, bytes: receipt?.bytes }, { mimeType: 'text/html', bytes: 30 });
  });
});

void describe('faults', () => {
  const soap = (body: string) => request(world.sandbox.endpoint, { method: 'POST', headers: { 'content-type': 'text/xml' }, body });

  void it('answers 500/503 without SOAP, a SOAP Fault, or a result code, all as unavailable, without processing', async () => {
    const terminal = await world.terminal();
    const reference = await world.send(terminal);
    for (const kind of ['status_500', 'status_503', 'soap_fault'] as const) {
      await world.fault({ operation: 'getPaymentStatus', fault: kind });
      await assert.rejects(world.client.getPaymentStatus(terminal, reference, 0), (error: unknown) => error instanceof ProviderUnavailableError && (kind !== 'soap_fault' || error.message.includes('SOAP Fault Server')), kind);
    }
    await world.fault({ operation: 'getPaymentStatus', fault: 'result_code', result_code: 93 });
    await assert.rejects(world.client.getPaymentStatus(terminal, reference, 0), /resultCode 93 SYSTEM_BUSY/);
    assert.equal((await world.inspect(reference)).polls, 0, 'nothing was processed');
  });

  void it('answers a business result code from a result_code fault without changing anything', async () => {
    const terminal = await world.terminal();
    const reference = await world.send(terminal);
    await world.fault({ operation: 'cancelInvoice', fault: 'result_code', result_code: 50 });
    const answer = await world.client.cancelInvoice(terminal, reference);
    assert.equal(answer.resultCode, 50);
    assert.match(answer.resultDescription, /^CANNOT_CANCEL_PAID_INVOICE: injected fault fault-\d+$/);
    assert.equal((await world.inspect(reference)).status, 'ISSUED');
  });

  void it('picks its request by operation: other operations pass untouched', async () => {
    const terminal = await world.terminal();
    await world.fault({ operation: 'cancelInvoice', fault: 'status_503' });
    const reference = await world.send(terminal);
    succeeded(await world.client.getPaymentStatus(terminal, reference, 0));
    await assert.rejects(world.client.cancelInvoice(terminal, reference), /HTTP 503/);
    assert.deepEqual((await world.control<unknown[]>('GET', 'faults')).body, []);
  });

  void it('delays an answer', async () => {
    const terminal = await world.terminal();
    const reference = await world.send(terminal);
    await world.fault({ operation: 'getPaymentStatus', fault: 'delay', delay_ms: 300 });
    const started = performance.now();
    succeeded(await world.client.getPaymentStatus(terminal, reference, 0));
    // One monotonic clock; libuv's millisecond loop clock may fire a timer up to 1 ms early against it.
    assert.ok(performance.now() - started >= 299, `answered after ${performance.now() - started} ms`);
    const impatient = new SeqrClient({ endpoint: world.sandbox.endpoint, requestTimeoutMs: 100, clientId: 'x' });
    await world.fault({ operation: 'getPaymentStatus', fault: 'delay', delay_ms: 500 });
    await assert.rejects(impatient.getPaymentStatus(terminal, reference, 0), ProviderUnavailableError);
  });

  void it('drops before processing, or after committing, and cuts bodies after committing', async () => {
    const terminal = await world.terminal();
    await world.fault({ operation: 'sendInvoice', fault: 'drop' });
    await assert.rejects(world.client.sendInvoice(terminal, invoice({ clientInvoiceId: 'dropped' })), ProviderUnavailableError);
    assert.equal((await world.control<unknown[]>('GET', 'invoices?client_invoice_id=dropped')).body.length, 0);
    for (const kind of ['commit_then_drop', 'incomplete_body'] as const) {
      await world.fault({ operation: 'sendInvoice', fault: kind });
      await assert.rejects(world.client.sendInvoice(terminal, invoice({ clientInvoiceId: kind })), ProviderUnavailableError, kind);
      const created = (await world.control<InvoiceInspection[]>('GET', `invoices?client_invoice_id=${kind}`)).body;
      assert.equal(created.length, 1, `${kind}: the invoice exists although the answer was lost`);
    }
  });

  void it('uses a fault `times` times and clears faults', async () => {
    const terminal = await world.terminal();
    const reference = await world.send(terminal);
    await world.fault({ operation: 'getPaymentStatus', fault: 'status_503', times: 2 });
    await assert.rejects(world.client.getPaymentStatus(terminal, reference, 0));
    await assert.rejects(world.client.getPaymentStatus(terminal, reference, 0));
    succeeded(await world.client.getPaymentStatus(terminal, reference, 0));
    await world.fault({ path_pattern: 'cashregister', fault: 'soap_fault' });
    assert.equal((await world.control<unknown[]>('GET', 'faults')).body.length, 1);
    assert.equal((await world.control('DELETE', 'faults')).status, 204);
    succeeded(await world.client.getPaymentStatus(terminal, reference, 0));
  });

  void it('refuses fault bodies that could never strike', async () => {
    assert.equal((await world.control('POST', 'faults', { operation: 'payInvoice', fault: 'drop' })).status, 400);
    assert.equal((await world.control('POST', 'faults', { fault: 'result_code' })).status, 400);
    assert.equal((await world.control('POST', 'faults', { fault: 'result_code', result_code: 0 })).status, 400);
    assert.equal((await world.control('POST', 'faults', { fault: 'result_code', result_code: 77 })).status, 400);
    assert.equal((await world.control('POST', 'faults', { fault: 'drop', result_code: 93 })).status, 400);
    assert.equal((await world.control('POST', 'faults', { fault: 'delay' })).status, 400);
  });

  void it('answers messages it cannot read with a Client Fault and serves a WSDL', async () => {
    const garbage = await soap('<not-soap/>');
    assert.equal(garbage.statusCode, 500);
    assert.match(await garbage.body.text(), /<faultcode>soap:Client<\/faultcode>.*not a SOAP 1.1 envelope/);
    const wsdl = await request(`${world.sandbox.endpoint}?wsdl`);
    assert.equal(wsdl.statusCode, 200);
    assert.match(await wsdl.body.text(), /<wsdl:operation name="getPaymentStatus">/);
  });
});

void describe('reset', () => {
  void it('forgets terminals and invoices but keeps the resellers', async () => {
    const sandbox = new World(await startSeqrSandbox({ resellers: [RESELLER] }));
    try {
      const terminal = await sandbox.terminal();
      await sandbox.send(terminal);
      assert.equal((await sandbox.control('POST', 'reset')).status, 204);
      assert.deepEqual((await sandbox.control('GET', 'terminals')).body, []);
      assert.deepEqual((await sandbox.control('GET', 'invoices')).body, []);
      assert.equal((await sandbox.client.sendInvoice(terminal, invoice())).resultCode, 29);
      await sandbox.terminal();
    } finally {
      await sandbox.sandbox.close();
    }
  });
});
