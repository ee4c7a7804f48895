/**
 * Every SEQR `resultCode` (seqr.md §5.2) in one exhaustive table. The category says who has to
 * act: `retryable` codes are SEQR's own trouble (try again later), `configuration` codes mean our
 * credentials, terminal or contract are wrong (a person must fix them), `bad_request` codes mean
 * the request we built is wrong, and `outcome` codes are answers about the business object that
 * each operation's caller interprets itself (a repeated cancel's 95 is a success for a POS, a
 * cancel's 50 means the customer has paid).
 *
 * A code outside the table is not guessed at: `resultCodeInfo` throws, so protocol drift shows up
 * as a clear error instead of being filed under some default category.
 */

export type ResultCodeCategory = 'success' | 'retryable' | 'configuration' | 'bad_request' | 'outcome';

export interface ResultCodeInfo {
  readonly name: string;
  readonly category: ResultCodeCategory;
}

export const SEQR_RESULT_CODES = {
  0: { name: 'SUCCESS', category: 'success' },
  2: { name: 'REPORT_NOT_READY', category: 'outcome' },
  11: { name: 'REJECTED_AMOUNT', category: 'bad_request' },
  20: { name: 'AUTHENTICATION_FAILED', category: 'configuration' },
  21: { name: 'ACCESS_DENIED', category: 'configuration' },
  23: { name: 'INVALID_ERS_REFERENCE', category: 'bad_request' },
  29: { name: 'INVALID_INITIATOR_PRINCIPAL_ID', category: 'configuration' },
  33: { name: 'INVALID_INITIATOR_PRINCIPAL_STATE', category: 'configuration' },
  37: { name: 'INITIATOR_PRINCIPAL_NOT_FOUND', category: 'configuration' },
  48: { name: 'PAYMENT_IN_PROGRESS', category: 'outcome' },
  49: { name: 'INVALID_INVOICE_DATA', category: 'bad_request' },
  50: { name: 'CANNOT_CANCEL_PAID_INVOICE', category: 'outcome' },
  51: { name: 'CANNOT_CANCEL_INVOICE_IN_PROGRESS', category: 'outcome' },
  53: { name: 'INVALID_SEQR_ID', category: 'bad_request' },
  54: { name: 'INVALID_INVOICE_REFERENCE', category: 'bad_request' },
  // 60–63 only appear as constants in SEQR's sample code (reservation authorizations).
  60: { name: 'AUTHORIZATION_EXPIRED', category: 'outcome' },
  61: { name: 'AUTHORIZATION_CANCELLED', category: 'outcome' },
  62: { name: 'AUTHORIZATION_IN_PROGRESS', category: 'outcome' },
  63: { name: 'INVALID_AUTHORIZATION_REFERENCE', category: 'outcome' },
  64: { name: 'INVALID_NOTIFICATION_URL', category: 'bad_request' },
  90: { name: 'SYSTEM_ERROR', category: 'retryable' },
  91: { name: 'UNSUPPORTED_OPERATION', category: 'configuration' },
  92: { name: 'LICENSE_REJECTION', category: 'configuration' },
  93: { name: 'SYSTEM_BUSY', category: 'retryable' },
  94: { name: 'SERVICE_UNAVAILABLE', category: 'retryable' },
  95: { name: 'INVOICE_ALREADY_CANCELED', category: 'outcome' },
  96: { name: 'INVOICE_STATE_NOT_RESERVED', category: 'outcome' },
  97: { name: 'RESELLER_NOT_ALLOWED_TO_DO_REFUND', category: 'configuration' },
  98: { name: 'SUM_OF_REFUNDS_CAN_NOT_BE_MORE_THAN_ORIGINAL_TRANSACTION', category: 'outcome' },
  99: { name: 'RECEIVER_ACCOUNT_DOES_NOT_ALLOW_REFUNDS', category: 'configuration' },
} as const satisfies Record<number, ResultCodeInfo>;

export type SeqrResultCode = keyof typeof SEQR_RESULT_CODES;
export type SeqrResultName = (typeof SEQR_RESULT_CODES)[SeqrResultCode]['name'];

/** The codes that mean "SEQR could not serve this now": the call may be repeated as it was. */
export type RetryableResultCode = { [C in SeqrResultCode]: (typeof SEQR_RESULT_CODES)[C]['category'] extends 'retryable' ? C : never }[SeqrResultCode];

export class UnknownResultCodeError extends Error {
  override name = 'UnknownResultCodeError';
  constructor(readonly code: number) {
    super(`SEQR answered resultCode ${code}, which is not in seqr.md §5.2`);
  }
}

export function isKnownResultCode(code: number): code is SeqrResultCode {
  return Object.hasOwn(SEQR_RESULT_CODES, code);
}

/** The table entry for `code`; throws UnknownResultCodeError for a code SEQR never documented. */
export function resultCodeInfo(code: number): ResultCodeInfo & { code: SeqrResultCode } {
  if (!isKnownResultCode(code)) throw new UnknownResultCodeError(code);
  return { code, ...SEQR_RESULT_CODES[code] };
}

export function isRetryableResultCode(code: SeqrResultCode): code is RetryableResultCode {
  return SEQR_RESULT_CODES[code].category === 'retryable';
}
