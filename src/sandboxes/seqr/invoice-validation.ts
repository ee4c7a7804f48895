/**
 * What SEQR checks in an invoice (seqr.md §4, §5.2): the required fields, an accepted currency,
 * amounts in that currency's minor units, rows that add up to totalAmount (49), a positive total
 * (11), and a notificationUrl starting with http:// or https:// (64). Modes other than an
 * IMMEDIATE_DEBIT without acknowledgement exist at SEQR but are not modelled here (91).
 */
import { isAnswer, refusal, type OpAnswer } from './answers';
import type { ValidInvoice } from './lifecycle';
import { toDecimal, toMinorUnits } from './money';
import type { AmountRequest, InvoiceRequest } from './requests';

const REQUIRED = ['paymentMode', 'acknowledgmentMode', 'issueDate', 'title', 'clientInvoiceId', 'invoiceRows', 'totalAmount', 'cashierId', 'footer'] as const;

/** Minor units of an amount in `currency`, or the 49 it deserves. */
function amountIn(amount: AmountRequest | undefined, currency: string, field: string): number | OpAnswer {
  if (amount?.value === undefined || amount.currency === undefined) return refusal(49, `${field} needs a value and a currency`);
  if (amount.currency !== currency) return refusal(49, `${field} is in ${amount.currency}, the invoice in ${currency}`);
  const minor = toMinorUnits(amount.value, currency);
  return minor ?? refusal(49, `${field}.value ${amount.value} is not a ${currency} amount`);
}

/** Checks a notificationUrl: absent is fine, anything but an http(s) URL is 64. */
export function checkNotificationUrl(url: string | undefined): OpAnswer | null {
  if (url === undefined || url === '') return null;
  return /^https?:\/\/\S+$/i.test(url) && URL.canParse(url) ? null : refusal(64, 'notificationUrl must be an http:// or https:// URL');
}

/** The refund or payment amount: in the expected currency, positive (11 otherwise). */
export function positiveAmount(amount: AmountRequest | undefined, currency: string, field: string): number | OpAnswer {
  const minor = amountIn(amount, currency, field);
  if (isAnswer(minor)) return minor;
  return minor > 0 ? minor : refusal(11, `${field} must be positive`);
}

export function validateInvoice(invoice: InvoiceRequest | undefined, currencies: ReadonlySet<string>): ValidInvoice | OpAnswer {
  if (invoice === undefined) return refusal(49, 'the invoice is missing');
  const missing = REQUIRED.filter((field) => invoice[field] === undefined || invoice[field] === '');
  if (missing.length > 0) return refusal(49, `invoice.${missing.join(', invoice.')} missing`);
  if (invoice.paymentMode !== 'IMMEDIATE_DEBIT') return refusal(91, `the sandbox models IMMEDIATE_DEBIT only, not ${invoice.paymentMode}`);
  if (invoice.acknowledgmentMode !== 'NO_ACKNOWLEDGMENT') return refusal(91, 'the sandbox models NO_ACKNOWLEDGMENT only (loyalty flows are not modelled)');

  const currency = invoice.totalAmount?.currency ?? '';
  if (!currencies.has(currency)) return refusal(49, `currency ${currency || '(none)'} is not accepted; use ${[...currencies].join(', ')}`);
  const total = positiveAmount(invoice.totalAmount, currency, 'totalAmount');
  if (isAnswer(total)) return total;

  const rows = invoice.invoiceRows?.invoiceRow ?? [];
  if (rows.length === 0) return refusal(49, 'the invoice has no invoiceRow');
  let sum = 0;
  for (const [index, row] of rows.entries()) {
    if (row.itemQuantity === undefined || Number(row.itemQuantity) < 1) return refusal(49, `invoiceRow ${index + 1}: itemQuantity must be 1 or more`);
    // Rows may be negative to balance the invoice (seqr.md §4).
    const rowTotal = amountIn(row.itemTotalAmount, currency, `invoiceRow ${index + 1} itemTotalAmount`);
    if (isAnswer(rowTotal)) return rowTotal;
    sum += rowTotal;
  }
  if (sum !== total) return refusal(49, `the invoice rows add up to ${toDecimal(sum, currency)}, totalAmount is ${toDecimal(total, currency)}`);

  const badUrl = checkNotificationUrl(invoice.notificationUrl);
  if (badUrl) return badUrl;
  return {
    clientInvoiceId: invoice.clientInvoiceId ?? '',
    currency,
    totalAmount: total,
    notificationUrl: invoice.notificationUrl || null,
  };
}
