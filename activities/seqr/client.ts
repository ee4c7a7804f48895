/**
 * SEQR cash-register SOAP client (seqr.md §2–§4): one typed method per operation a POS uses, each
 * returning SEQR's `return` object. Faults are classified once, here, the way every provider
 * client of ours does it:
 * - transport errors, HTTP 5xx, SOAP Faults, unreadable answers and result codes 90/93/94 throw
 *   ProviderUnavailableError (retryable: SEQR could not serve the call now);
 * - any other documented result code is returned, because its meaning depends on the operation
 *   (95 on a cancel is fine, 50 means the customer paid) and only the caller knows which;
 * - an undocumented result code throws UnknownResultCodeError, an answer that is not SOAP at all
 *   (e.g. a 404 from a wrong endpoint) SeqrProtocolError: both need a person, not a retry.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { ProviderUnavailableError } from '../http-json';
import { tracedRequest, type RawAnswer } from '../provider-span';
import { isRetryableResultCode, resultCodeInfo, type RetryableResultCode, type SeqrResultCode } from './result-codes';
import { buildRequest, parseEnvelope, SoapFormatError, type SoapMessage, type XmlFields } from './soap';

export interface SeqrClientOptions {
  /** The SOAP endpoint, e.g. https://extdev.seqr.com/soap/merchant/cashregister-2 */
  endpoint: string;
  requestTimeoutMs: number;
  /** `context.clientId`: names our POS software to SEQR (certification asks for the company name). */
  clientId: string;
}

/** Who calls: the reseller user for terminal registration, the terminal for everything else (seqr.md §2). */
export type SeqrPrincipal = { type: 'RESELLERUSER'; id: string; userId: string; password: string } | { type: 'TERMINALID'; id: string; password: string };

export interface SeqrCallOptions {
  /** `context.clientReference` (≤ 32 characters) for troubleshooting with SEQR; random when not given. */
  clientReference?: string;
  clientComment?: string;
}

/** Money on SEQR's wire: a decimal string `#.##` and an ISO 4217 currency. */
export interface SeqrAmount {
  value: string;
  currency: string;
}

export interface SeqrInvoiceRow {
  itemDescription?: string;
  /** xs:decimal ≥ 1 */
  itemQuantity: string;
  itemTotalAmount: SeqrAmount;
  itemUnitPrice?: SeqrAmount;
}

export interface SeqrInvoice {
  paymentMode: 'IMMEDIATE_DEBIT';
  /** Anything else is for loyalty flows; without it the customer's app waits forever (seqr.md §4). */
  acknowledgmentMode: 'NO_ACKNOWLEDGMENT';
  /** xs:dateTime, e.g. 2015-12-25T12:34:56 */
  issueDate: string;
  title: string;
  clientInvoiceId: string;
  /** Their itemTotalAmounts must add up to totalAmount. */
  invoiceRows: SeqrInvoiceRow[];
  totalAmount: SeqrAmount;
  cashierId: string;
  footer: string;
  /** SEQR POSTs to it once the invoice is PAID; must start with http:// or https://. */
  notificationUrl?: string;
}

/** refundPayment's invoice: its totalAmount is the amount to refund (seqr.md §8). */
export interface SeqrRefundInvoice {
  title: string;
  cashierId: string;
  totalAmount: SeqrAmount;
  clientInvoiceId?: string;
  issueDate?: string;
}

export interface SeqrReceiptDocument {
  mimeType: string;
  /** The document, base64-encoded (xs:base64Binary). */
  receiptData: string;
  receiptType: string;
}

export const SEQR_INVOICE_STATUSES = ['ISSUED', 'PENDING_ISSUER_ACKNOWLEDGE', 'RESERVED', 'PAID', 'CANCELED', 'FAILED'] as const;
/**
 * The WSDL's statuses (seqr.md §5.1). The docs list more (PARTIALLY_PAID, "0") that the WSDL does
 * not; such an answer is refused when it is read, as an incomplete answer, rather than guessed at.
 */
export type SeqrInvoiceStatus = (typeof SEQR_INVOICE_STATUSES)[number];

export interface SeqrReceipt {
  terminalId: string;
  paymentDate: string;
  clientInvoiceId: string;
  invoiceReference: string;
  paymentReference: string;
  payerTerminalId?: string;
  receiverName?: string;
}

export interface SeqrPaymentStatus {
  status: SeqrInvoiceStatus;
  /** Send it back as the next call's invoiceVersion: that acknowledges this answer (seqr.md §5.1). */
  version: number;
  /** Only when PAID. */
  ersReference?: string;
  /** Only when PAID. */
  receipt?: SeqrReceipt;
}

/** The codes a method returns instead of throwing: everything but success and SEQR's own trouble. */
export type SeqrRefusalCode = Exclude<SeqrResultCode, 0 | RetryableResultCode>;

/** Success carries the operation's fields; a refusal only its code and description. Narrow on `resultCode === 0`. */
export type SeqrResult<T extends object = object> =
  | ({ resultCode: 0; resultDescription: string } & T)
  | { resultCode: SeqrRefusalCode; resultDescription: string };

/** The answer was not a SOAP message at all (e.g. a 404 page): a wrong endpoint, not an outage. */
export class SeqrProtocolError extends Error {
  override name = 'SeqrProtocolError';
}

// ---- answers ----

const xsInt = z
  .string()
  .regex(/^[+-]?\d+$/, 'not an xs:int')
  .transform(Number);

const baseAnswerSchema = z.looseObject({ resultCode: xsInt, resultDescription: z.string().optional() });

// The typed fields only: whatever else SEQR sends (receipt.invoice, customerTokens) is dropped here.
const noFields = z.object({});
const registerTerminalSchema = z.object({ terminalId: z.string().min(1) });
const sendInvoiceSchema = z.object({ invoiceReference: z.string().min(1), invoiceQRCode: z.string().min(1) });
const refundSchema = z.object({ ersReference: z.string().min(1) });

const receiptSchema = z.object({
  terminalId: z.string(),
  paymentDate: z.string(),
  clientInvoiceId: z.string(),
  invoiceReference: z.string(),
  paymentReference: z.string(),
  payerTerminalId: z.string().optional(),
  receiverName: z.string().optional(),
});

const paymentStatusSchema = z
  .object({ status: z.enum(SEQR_INVOICE_STATUSES), version: xsInt, ersReference: z.string().optional(), receipt: receiptSchema.optional() })
  .refine((answer) => answer.status !== 'PAID' || (answer.ersReference !== undefined && answer.receipt !== undefined), 'a PAID status without ersReference and receipt');

// ---- requests ----

function amount(value: SeqrAmount): XmlFields {
  // The WSDL's sequence order: currency, then value.
  return { currency: value.currency, value: value.value };
}

/** Elements in the WSDL's sequence order (JAX-WS servers tolerate other orders; validating ones do not). */
function invoiceFields(invoice: SeqrInvoice | SeqrRefundInvoice): XmlFields {
  // A refund's invoice is the same element with fewer fields.
  const full: Partial<SeqrInvoice> = invoice;
  return {
    paymentMode: full.paymentMode,
    acknowledgmentMode: full.acknowledgmentMode,
    issueDate: full.issueDate,
    title: invoice.title,
    clientInvoiceId: invoice.clientInvoiceId,
    invoiceRows:
      full.invoiceRows === undefined
        ? undefined
        : {
            invoiceRow: full.invoiceRows.map((row) => ({
              itemDescription: row.itemDescription,
              itemQuantity: row.itemQuantity,
              itemTotalAmount: amount(row.itemTotalAmount),
              itemUnitPrice: row.itemUnitPrice === undefined ? undefined : amount(row.itemUnitPrice),
            })),
          },
    totalAmount: amount(invoice.totalAmount),
    cashierId: invoice.cashierId,
    footer: full.footer,
    notificationUrl: full.notificationUrl,
  };
}

const MAX_CLIENT_REFERENCE = 32;

export class SeqrClient {
  constructor(private readonly options: SeqrClientOptions) {}

  /** RESELLERUSER principal; `password` is the new terminal's own (≥ 4 characters). */
  registerTerminal(principal: SeqrPrincipal, terminal: { externalTerminalId: string; password: string; name: string }, call?: SeqrCallOptions): Promise<SeqrResult<{ terminalId: string }>> {
    const fields = { externalTerminalId: terminal.externalTerminalId, password: terminal.password, name: terminal.name };
    return this.call('registerTerminal', principal, fields, registerTerminalSchema, call);
  }

  unregisterTerminal(principal: SeqrPrincipal, call?: SeqrCallOptions): Promise<SeqrResult> {
    return this.call('unregisterTerminal', principal, {}, noFields, call);
  }

  /** Links the till's sticker `HTTP://SEQR.SE/Q<seqrId>` to the calling terminal. */
  assignSeqrId(principal: SeqrPrincipal, seqrId: string, call?: SeqrCallOptions): Promise<SeqrResult> {
    return this.call('assignSeqrId', principal, { seqrId }, noFields, call);
  }

  /** Not idempotent: every call is a new invoice and cancels the terminal's previous one (seqr.md §9). */
  sendInvoice(principal: SeqrPrincipal, invoice: SeqrInvoice, call?: SeqrCallOptions): Promise<SeqrResult<{ invoiceReference: string; invoiceQRCode: string }>> {
    return this.call('sendInvoice', principal, { invoice: invoiceFields(invoice) }, sendInvoiceSchema, call);
  }

  /** `invoiceVersion`: 0 on the first poll, then the last answer's `version` as acknowledgement. */
  getPaymentStatus(principal: SeqrPrincipal, invoiceReference: string, invoiceVersion: number, call?: SeqrCallOptions): Promise<SeqrResult<SeqrPaymentStatus>> {
    if (!Number.isInteger(invoiceVersion)) throw new Error(`invoiceVersion must be an integer, got ${invoiceVersion}`);
    return this.call('getPaymentStatus', principal, { invoiceReference, invoiceVersion: String(invoiceVersion) }, paymentStatusSchema, call);
  }

  cancelInvoice(principal: SeqrPrincipal, invoiceReference: string, call?: SeqrCallOptions): Promise<SeqrResult> {
    return this.call('cancelInvoice', principal, { invoiceReference }, noFields, call);
  }

  /** No idempotency key: record the refund before a retry, or a lost answer can refund twice (seqr.md §9). */
  refundPayment(principal: SeqrPrincipal, ersReference: string, invoice: SeqrRefundInvoice, call?: SeqrCallOptions): Promise<SeqrResult<{ ersReference: string }>> {
    return this.call('refundPayment', principal, { ersReference, invoice: invoiceFields(invoice) }, refundSchema, call);
  }

  submitPaymentReceipt(principal: SeqrPrincipal, ersReference: string, receiptDocument?: SeqrReceiptDocument, call?: SeqrCallOptions): Promise<SeqrResult> {
    const document = receiptDocument && { mimeType: receiptDocument.mimeType, receiptData: receiptDocument.receiptData, receiptType: receiptDocument.receiptType };
    return this.call('submitPaymentReceipt', principal, { ersReference, receiptDocument: document }, noFields, call);
  }

  private context(principal: SeqrPrincipal, call: SeqrCallOptions): XmlFields {
    const clientReference = call.clientReference ?? randomBytes(MAX_CLIENT_REFERENCE / 2).toString('hex');
    if (clientReference.length > MAX_CLIENT_REFERENCE) throw new Error(`clientReference is longer than ${MAX_CLIENT_REFERENCE} characters`);
    return {
      channel: 'WS',
      clientComment: call.clientComment,
      clientId: this.options.clientId,
      clientReference,
      // Must be 0: no client-forced timeout inside SEQR (seqr.md §2); ours is on the HTTP call.
      clientRequestTimeout: '0',
      initiatorPrincipalId: { id: principal.id, type: principal.type, userId: principal.type === 'RESELLERUSER' ? principal.userId : undefined },
      password: principal.password,
    };
  }

  private async call<T extends object>(operation: string, principal: SeqrPrincipal, fields: XmlFields, success: z.ZodType<T>, call: SeqrCallOptions = {}): Promise<SeqrResult<T>> {
    const message = await this.exchange(operation, buildRequest(operation, { context: this.context(principal, call), ...fields }));
    if (message.kind === 'fault') throw new ProviderUnavailableError(`SEQR ${operation}: SOAP Fault ${message.fault.code}: ${message.fault.message}`);
    const returned = message.name === `${operation}Response` ? message.fields.return : undefined;
    const base = baseAnswerSchema.safeParse(returned);
    if (!base.success) throw new ProviderUnavailableError(`SEQR ${operation}: unreadable answer (${message.name} without a valid return)`);
    const { code, name } = resultCodeInfo(base.data.resultCode);
    // SEQR always describes its code; should it not, the code's name says the same.
    const resultDescription = base.data.resultDescription ?? name;
    if (isRetryableResultCode(code)) throw new ProviderUnavailableError(`SEQR ${operation}: resultCode ${code} ${name}`);
    if (code !== 0) return { resultCode: code, resultDescription };
    const parsed = success.safeParse(returned);
    if (!parsed.success) throw new ProviderUnavailableError(`SEQR ${operation}: incomplete success answer: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return { ...parsed.data, resultCode: 0, resultDescription };
  }

  private transportFailure(error: unknown): string {
    if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${this.options.requestTimeoutMs} ms`;
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? code : 'network error';
  }

  /** One POST; the answer as a parsed SOAP message, or the fault classification of the module comment. */
  private async exchange(operation: string, body: string): Promise<SoapMessage> {
    let response: RawAnswer;
    try {
      response = await tracedRequest(this.options.endpoint, {
        method: 'POST',
        // SOAP 1.1: text/xml and a SOAPAction header, empty for every SEQR operation (seqr.md §1).
        headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
        body,
        // One deadline for the whole exchange; undici's own header/body timeouts only tick about once a second.
        signal: AbortSignal.timeout(this.options.requestTimeoutMs),
      });
    } catch (error) {
      throw new ProviderUnavailableError(`SEQR ${operation}: ${this.transportFailure(error)}`);
    }
    const { statusCode: status, text } = response;
    let message: SoapMessage | undefined;
    try {
      message = parseEnvelope(text);
    } catch (error) {
      if (!(error instanceof SoapFormatError)) throw error;
    }
    // SOAP 1.1 sends Faults with HTTP 500; a 5xx without one is a proxy or container error.
    if (message?.kind === 'fault') return message;
    if (status >= 500) throw new ProviderUnavailableError(`SEQR ${operation}: HTTP ${status}`);
    if (status !== 200) throw new SeqrProtocolError(`SEQR ${operation}: HTTP ${status} from ${this.options.endpoint} is not a SOAP answer`);
    if (message === undefined) throw new ProviderUnavailableError(`SEQR ${operation}: unreadable answer (HTTP 200)`);
    return message;
  }
}
