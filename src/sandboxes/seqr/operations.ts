/**
 * Dispatch on the payload element: each implemented operation parses its request (a type error
 * is a Client Fault, as a JAX-WS server unmarshalling it would answer) and runs; the rest of
 * SEQR's WSDL is answered 91 UNSUPPORTED_OPERATION; an element that is not in the WSDL at all is a
 * Client Fault, like JAX-WS's "cannot find dispatch method".
 */
import type { z } from 'zod';
import type { XmlFields } from './soap-envelopes';
import { ClientFault, refusal, type OpAnswer } from './answers';
import type { InvoiceOperations } from './invoice-operations';
import type { PaymentOperations } from './payment-operations';
import * as requests from './requests';
import type { TerminalOperations } from './terminal-operations';
import { IMPLEMENTED_OPERATIONS, UNMODELLED_OPERATIONS, type ImplementedOperation } from './wsdl';

type Handler = (fields: XmlFields) => OpAnswer;

function handler<S extends z.ZodType>(schema: S, run: (request: z.output<S>) => OpAnswer): Handler {
  return (fields) => {
    const parsed = schema.safeParse(fields);
    if (parsed.success) return run(parsed.data);
    const [issue] = parsed.error.issues;
    throw new ClientFault(`Unmarshalling Error: ${issue?.path.join('.') || 'request'}: ${issue?.message ?? 'invalid'}`);
  };
}

export class OperationTable {
  private readonly handlers: Record<ImplementedOperation, Handler>;

  constructor(terminals: TerminalOperations, invoices: InvoiceOperations, payments: PaymentOperations) {
    this.handlers = {
      registerTerminal: handler(requests.registerTerminalRequest, (request) => terminals.registerTerminal(request)),
      unregisterTerminal: handler(requests.unregisterTerminalRequest, (request) => terminals.unregisterTerminal(request)),
      assignSeqrId: handler(requests.assignSeqrIdRequest, (request) => terminals.assignSeqrId(request)),
      sendInvoice: handler(requests.sendInvoiceRequest, (request) => invoices.sendInvoice(request)),
      getPaymentStatus: handler(requests.getPaymentStatusRequest, (request) => invoices.getPaymentStatus(request)),
      cancelInvoice: handler(requests.cancelInvoiceRequest, (request) => invoices.cancelInvoice(request)),
      refundPayment: handler(requests.refundPaymentRequest, (request) => payments.refundPayment(request)),
      submitPaymentReceipt: handler(requests.submitPaymentReceiptRequest, (request) => payments.submitPaymentReceipt(request)),
    };
  }

  /** Throws ClientFault for a message the operation cannot unmarshal or an operation SEQR does not have. */
  run(operation: string, fields: XmlFields): OpAnswer {
    const implemented = IMPLEMENTED_OPERATIONS.find((name) => name === operation);
    if (implemented !== undefined) return this.handlers[implemented](fields);
    if (UNMODELLED_OPERATIONS.some((name) => name === operation)) return refusal(91, `the sandbox does not model ${operation}`);
    throw new ClientFault(`Cannot find dispatch method for {http://external.interfaces.ers.seamless.com/}${operation}`);
  }
}
