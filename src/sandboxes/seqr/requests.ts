/**
 * The request elements of the implemented operations as zod schemas over parsed SOAP payloads
 * (seqr.md §3–§4, the WSDL's types). Like a JAX-WS server they check XML types (xs:int,
 * xs:decimal, xs:dateTime, enums, base64) and ignore unknown elements; a type error is a SOAP
 * Client Fault. Every element is optional here, as in the WSDL (minOccurs="0"): what an operation
 * cannot do without is its business, answered with SEQR's result codes.
 */
import { z } from 'zod';

const text = z.string({ error: 'expected text, got child elements' });
const xsInteger = text.regex(/^[+-]?\d+$/, 'not an integer').transform(Number);
const xsDecimal = text.regex(/^[+-]?(\d+(\.\d*)?|\.\d+)$/, 'not an xs:decimal');
const xsDateTime = text.regex(/^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/, 'not an xs:dateTime');
const xsBase64 = text.regex(/^[A-Za-z0-9+/\s]*={0,2}\s*$/, 'not xs:base64Binary');

/** An empty element of a complex type (`<invoiceRows/>`) parses as ''; it is an element without children. */
function complex<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === '' ? {} : value), schema);
}

/** A repeated element parses as one value or an array of them. */
function repeated<T extends z.ZodType>(item: T) {
  return z.preprocess((value): unknown[] => (value === undefined ? [] : [value].flat()), z.array(item));
}

const amountSchema = complex(z.looseObject({ currency: text.optional(), value: xsDecimal.optional() }));
export type AmountRequest = z.output<typeof amountSchema>;

export const contextSchema = complex(
  z.looseObject({
    channel: text.optional(),
    clientComment: text.optional(),
    clientId: text.optional(),
    // Documented maximum (seqr.md §2); longer ones are cut off in SEQR's logs, so refused here.
    clientReference: text.max(32, 'clientReference is longer than 32 characters').optional(),
    clientRequestTimeout: xsInteger.optional(),
    initiatorPrincipalId: complex(z.looseObject({ id: text.optional(), type: text.optional(), userId: text.optional() })).optional(),
    password: text.optional(),
  }),
);
export type ContextRequest = z.output<typeof contextSchema>;

const invoiceRowSchema = complex(
  z.looseObject({
    itemDescription: text.optional(),
    itemDiscount: amountSchema.optional(),
    itemQuantity: xsDecimal.optional(),
    itemTaxRate: xsDecimal.optional(),
    itemTotalAmount: amountSchema.optional(),
    itemUnitPrice: amountSchema.optional(),
  }),
);

export const PAYMENT_MODES = ['IMMEDIATE_DEBIT', 'RESERVATION_DESIRED', 'RESERVATION_REQUIRED', 'RESERVATION_REQUIRED_PRELIMINARY_AMOUNT'] as const;
export const ACKNOWLEDGMENT_MODES = ['NO_ACKNOWLEDGMENT', 'OPTIONAL_ACKNOWLEDGMENT', 'REQUIRE_ACKNOWLEDGMENT'] as const;

const invoiceSchema = complex(
  z.looseObject({
    paymentMode: z.enum(PAYMENT_MODES).optional(),
    acknowledgmentMode: z.enum(ACKNOWLEDGMENT_MODES).optional(),
    issueDate: xsDateTime.optional(),
    title: text.optional(),
    clientInvoiceId: text.optional(),
    invoiceRows: complex(z.looseObject({ invoiceRow: repeated(invoiceRowSchema) })).optional(),
    totalAmount: amountSchema.optional(),
    cashierId: text.optional(),
    footer: text.optional(),
    backURL: text.optional(),
    notificationUrl: text.optional(),
  }),
);
export type InvoiceRequest = z.output<typeof invoiceSchema>;

const withContext = <T extends z.ZodRawShape>(shape: T) => z.looseObject({ context: contextSchema.optional(), ...shape });

export const registerTerminalRequest = withContext({ externalTerminalId: text.optional(), password: text.optional(), name: text.optional() });
export const unregisterTerminalRequest = withContext({});
export const assignSeqrIdRequest = withContext({ seqrId: text.optional() });
export const sendInvoiceRequest = withContext({ invoice: invoiceSchema.optional() });
// invoiceVersion is an xs:int without minOccurs: JAXB reads a missing one as 0.
export const getPaymentStatusRequest = withContext({ invoiceReference: text.optional(), invoiceVersion: xsInteger.default(0) });
export const cancelInvoiceRequest = withContext({ invoiceReference: text.optional() });
export const refundPaymentRequest = withContext({ ersReference: text.optional(), invoice: invoiceSchema.optional() });
export const submitPaymentReceiptRequest = withContext({
  ersReference: text.optional(),
  receiptDocument: complex(z.looseObject({ mimeType: text.optional(), receiptData: xsBase64.optional(), receiptType: text.optional() })).optional(),
});
