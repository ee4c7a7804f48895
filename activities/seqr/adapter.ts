/**
 * SEQR as a provider (seqr.md, seeds/seqr-pos.md). Tills are registered once (the terminal entity
 * workflow drives `register`/`assignSticker`); their passwords are derived here from
 * SEQR_TERMINAL_SECRET and never leave the worker. A payment is an invoice on the till: the QR is the
 * till's sticker, the invoice is polled every second (or SEQR reverses a paid invoice), and a PAID
 * invoice is confirmed with `submitPaymentReceipt`. SEQR has no idempotency keys: a lost
 * `sendInvoice` is simply sent again (SEQR cancels the till's previous invoice), and a refund is
 * never retried after an unanswered attempt.
 */
import { createHmac } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { formatMinorUnits } from '../../workflows/money';
import type { ProviderObservation, ProviderPaymentContext, RefundCommand } from '../../workflows/provider-contract';
import { ProviderUnavailableError } from '../http-json';
import { followsAnInterruptedAttempt } from '../attempts';
import { referenceValue, type AdapterPrepared, type ProviderAdapter, type Reference, type TerminalAdapter, type TerminalLookup } from '../provider';
import { SeqrClient, type SeqrClientOptions, type SeqrInvoiceRow, type SeqrPrincipal, type SeqrResult } from './client';
import { resultCodeInfo } from './result-codes';
import { observationOf } from './status';

export interface SeqrSettings extends SeqrClientOptions {
  reseller: { id: string; userId: string; password: string };
  terminalSecret: string;
  /** `${PUBLIC_BASE_URL}/v1/webhooks/seqr`: SEQR's notificationUrl, a hint to poll now. */
  notificationUrl: string;
  lookup: TerminalLookup;
  pollIntervalMs: number;
  /** SEQR_WINDOW_SECONDS in ms: the cashier's window, after which the till asks to retry or cancel. */
  windowMs: number;
}

/** How long `cancel` waits for a payment SEQR reports in progress (51) to settle before trying again. */
const IN_PROGRESS_WAIT_MS = 15_000;

/** Per open invoice, the last version we saw, acknowledged on the next poll (seqr.md §5.1). */
const acknowledged = new Map<string, number>();

/** Turns a refusal into the non-retryable failure Temporal must not retry. */
function refused(result: { resultCode: number; resultDescription: string }, operation: string): ApplicationFailure {
  const info = resultCodeInfo(result.resultCode);
  const type = info.category === 'configuration' ? 'configuration_error' : info.category === 'bad_request' ? 'provider_rejected' : `seqr_${info.name.toLowerCase()}`;
  return ApplicationFailure.nonRetryable(`SEQR ${operation}: ${result.resultCode} ${info.name} (${result.resultDescription})`, type);
}

function succeeded<T extends object>(result: SeqrResult<T>, operation: string): T {
  if (result.resultCode !== 0) throw refused(result, operation);
  return result;
}

export class SeqrAdapter implements ProviderAdapter, TerminalAdapter {
  private readonly client: SeqrClient;
  readonly pollIntervalMs: number;
  readonly customerWindowMs: number;

  constructor(private readonly settings: SeqrSettings) {
    this.client = new SeqrClient(settings);
    this.pollIntervalMs = settings.pollIntervalMs;
    this.customerWindowMs = settings.windowMs;
  }

  // ---- terminals ----

  async register(merchantId: string, posId: string, name: string): Promise<{ terminal_id: string }> {
    const reseller: SeqrPrincipal = { type: 'RESELLERUSER', ...this.settings.reseller };
    const answer = succeeded(await this.client.registerTerminal(reseller, { externalTerminalId: `${merchantId}/${posId}`, password: this.password(merchantId, posId), name }), 'registerTerminal');
    return { terminal_id: answer.terminalId };
  }

  async assignSticker(merchantId: string, posId: string, terminalId: string, stickerId: string): Promise<void> {
    succeeded(await this.client.assignSeqrId(this.terminal(merchantId, posId, terminalId), stickerId), 'assignSeqrId');
  }

  async unregister(merchantId: string, posId: string, terminalId: string): Promise<void> {
    const result = await this.client.unregisterTerminal(this.terminal(merchantId, posId, terminalId));
    // An unknown terminal is already gone: unregistering is idempotent.
    if (result.resultCode !== 0 && result.resultCode !== 29) throw refused(result, 'unregisterTerminal');
  }

  // ---- payments ----

  async prepare(payment: ProviderPaymentContext): Promise<AdapterPrepared> {
    const { request } = payment;
    const till = await this.settings.lookup(payment.merchant_id, request.pos_id);
    if (!till) throw ApplicationFailure.nonRetryable(`till ${request.pos_id} is not registered with SEQR`, 'terminal_not_registered');
    // The ingress compared them; the till may have been given another sticker since.
    const named = request.provider_options.seqr_id;
    if (named !== undefined && named !== till.sticker_id) {
      throw ApplicationFailure.nonRetryable(`seqr_id is ${named} but till ${request.pos_id} is registered with SEQR id ${till.sticker_id}`, 'sticker_mismatch');
    }
    const amount = (minor: number) => ({ value: formatMinorUnits(minor, request.currency), currency: request.currency });
    const rows: SeqrInvoiceRow[] = request.line_items
      ? request.line_items.map((item) => ({ itemDescription: item.description, itemQuantity: String(item.quantity), itemUnitPrice: amount(item.amount), itemTotalAmount: amount(item.amount * item.quantity) }))
      : [{ itemDescription: request.description ?? 'Purchase', itemQuantity: '1', itemTotalAmount: amount(request.amount) }];
    const answer = succeeded(await this.client.sendInvoice(this.terminal(payment.merchant_id, request.pos_id, till.terminal_id), {
      paymentMode: 'IMMEDIATE_DEBIT',
      acknowledgmentMode: 'NO_ACKNOWLEDGMENT',
      issueDate: new Date().toISOString().slice(0, 19),
      title: request.description ?? `Payment ${request.pos_tid}`,
      clientInvoiceId: payment.payment_id,
      invoiceRows: rows,
      totalAmount: amount(request.amount),
      cashierId: request.pos_id,
      // Required by SEQR and printed on the customer's receipt: the till's own transaction id.
      footer: `Order ${request.pos_tid}`,
      notificationUrl: `${this.settings.notificationUrl}?payment=${encodeURIComponent(payment.payment_id)}`,
    }), 'sendInvoice');
    return {
      kind: 'ready',
      qr_content: `HTTP://SEQR.SE/Q${till.sticker_id}`,
      reference: { seqr_id: till.sticker_id, invoice_reference: answer.invoiceReference },
      // Our registration of the till at SEQR: what later calls authenticate as.
      private_reference: { terminal_id: till.terminal_id },
      observation: await this.observe(payment, { terminal_id: till.terminal_id, invoice_reference: answer.invoiceReference }),
    };
  }

  async observe(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    const invoice = referenceValue(reference, 'invoice_reference', 'SEQR');
    const known = acknowledged.get(invoice) ?? Number(reference.invoice_version ?? 0);
    const answer = succeeded(await this.client.getPaymentStatus(this.terminalOf(payment, reference), invoice, known), 'getPaymentStatus');
    const observation = observationOf(answer, invoice, payment.request.amount);
    // Only invoices still being polled need their version remembered; finished ones are forgotten.
    if (observation.status === 'pending') acknowledged.set(invoice, answer.version);
    else acknowledged.delete(invoice);
    return observation;
  }

  /** cancelInvoice; 50 = already paid (report it), 51 = in progress (wait for it), 95 = already cancelled. */
  async cancel(payment: ProviderPaymentContext, reference: Reference): Promise<ProviderObservation> {
    const invoice = referenceValue(reference, 'invoice_reference', 'SEQR');
    const deadline = Date.now() + IN_PROGRESS_WAIT_MS;
    for (;;) {
      const result = await this.client.cancelInvoice(this.terminalOf(payment, reference), invoice);
      if (result.resultCode === 0 || result.resultCode === 95) {
        return { ...(await this.observe(payment, reference)), status: 'cancelled', failure: null };
      }
      if (result.resultCode === 50) return this.observe(payment, reference);
      if (result.resultCode !== 51) throw refused(result, 'cancelInvoice');
      if (Date.now() > deadline) throw new ProviderUnavailableError('SEQR still reports the payment in progress; cancel again later');
      await Context.current().sleep(this.pollIntervalMs);
    }
  }

  /**
   * Sent once: SEQR has no refund idempotency and no refund lookup, so an unanswered call — or an
   * attempt interrupted by a crash or a timeout — is reported as `refund_outcome_unknown` for an
   * operator to check with SEQR, never sent again.
   */
  async refund(payment: ProviderPaymentContext, reference: Reference, refund: RefundCommand): Promise<void> {
    if (followsAnInterruptedAttempt()) {
      throw ApplicationFailure.nonRetryable('an earlier attempt of this refund was interrupted (worker stopped or timed out) and may have reached SEQR; check with SEQR before refunding again', 'refund_outcome_unknown');
    }
    const { request } = payment;
    let result;
    try {
      result = await this.client.refundPayment(this.terminalOf(payment, reference), referenceValue(reference, 'ers_reference', 'SEQR'), {
        title: `Refund ${refund.refund_id}`,
        cashierId: request.pos_id,
        clientInvoiceId: refund.refund_id,
        totalAmount: { value: formatMinorUnits(refund.amount, request.currency), currency: request.currency },
      });
    } catch (error) {
      if (!(error instanceof ProviderUnavailableError)) throw error;
      throw ApplicationFailure.nonRetryable(`SEQR did not answer the refund (${error.message}); check with SEQR before refunding again`, 'refund_outcome_unknown');
    }
    if (result.resultCode === 98) throw ApplicationFailure.nonRetryable('SEQR: refunds would exceed the payment', 'refund_exceeds_captured');
    succeeded(result, 'refundPayment');
  }

  /** SEQR expects every PAID invoice confirmed with a receipt (seqr.md §8). */
  async confirmCapture(payment: ProviderPaymentContext, reference: Reference): Promise<void> {
    succeeded(await this.client.submitPaymentReceipt(this.terminalOf(payment, reference), referenceValue(reference, 'ers_reference', 'SEQR')), 'submitPaymentReceipt');
  }

  // ---- credentials ----

  /** Deterministic, so registering again never changes the password; never stored or logged. */
  private password(merchantId: string, posId: string): string {
    return createHmac('sha256', this.settings.terminalSecret).update(`seqr-terminal:${merchantId}:${posId}`).digest('base64url').slice(0, 24);
  }

  private terminal(merchantId: string, posId: string, terminalId: string): SeqrPrincipal {
    return { type: 'TERMINALID', id: terminalId, password: this.password(merchantId, posId) };
  }

  private terminalOf(payment: ProviderPaymentContext, reference: Reference): SeqrPrincipal {
    return this.terminal(payment.merchant_id, payment.request.pos_id, referenceValue(reference, 'terminal_id', 'SEQR'));
  }
}
