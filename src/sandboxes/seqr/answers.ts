/**
 * What an operation answers, and how it becomes SEQR's `return` element. Business errors are
 * HTTP 200 answers with a non-zero resultCode (seqr.md §1); only messages SEQR cannot read at all
 * become SOAP Faults (ClientFault).
 */
import { RESULT_NAMES, type ResultCode } from './result-codes';
import type { XmlFields } from './soap-envelopes';

export interface OpAnswer {
  code: ResultCode;
  /** Appended to the code's name in resultDescription, for the person reading the answer. */
  detail?: string;
  /** The operation's own fields, success only; `ersReference` is the base type's field. */
  fields?: XmlFields;
}

export const success = (fields?: XmlFields): OpAnswer => ({ code: 0, fields });
export const refusal = (code: Exclude<ResultCode, 0>, detail?: string): OpAnswer => ({ code, detail });

/** Tells a refusal from an operation's intermediate result (a terminal, an invoice, an amount). */
export function isAnswer<T>(value: T | OpAnswer): value is OpAnswer {
  return typeof value === 'object' && value !== null && 'code' in value;
}

/** The message could not be unmarshalled (JAX-WS answers a `Client` Fault): wrong types, a missing required element. */
export class ClientFault extends Error {
  override name = 'ClientFault';
}

export function resultDescription(answer: OpAnswer): string {
  const name = RESULT_NAMES[answer.code];
  return answer.detail === undefined ? name : `${name}: ${answer.detail}`;
}

/** The `return` element in the WSDL's order: ersReference, resultCode, resultDescription, then the extension's fields. */
export function returnFields(answer: OpAnswer): XmlFields {
  const { ersReference, ...own } = answer.fields ?? {};
  return { ersReference, resultCode: String(answer.code), resultDescription: resultDescription(answer), ...own };
}
