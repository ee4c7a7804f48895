/**
 * The result codes the sandbox can answer with: SEQR's table (seqr.md §5.2), name by code, as the
 * provider knows them. The sandbox's own copy of the documented list, so it does not merely echo
 * the adapter's reading of it. Whether a code is worth a retry is the caller's business, not SEQR's.
 */
export const RESULT_NAMES = {
  0: 'SUCCESS',
  2: 'REPORT_NOT_READY',
  11: 'REJECTED_AMOUNT',
  20: 'AUTHENTICATION_FAILED',
  21: 'ACCESS_DENIED',
  23: 'INVALID_ERS_REFERENCE',
  29: 'INVALID_INITIATOR_PRINCIPAL_ID',
  33: 'INVALID_INITIATOR_PRINCIPAL_STATE',
  37: 'INITIATOR_PRINCIPAL_NOT_FOUND',
  48: 'PAYMENT_IN_PROGRESS',
  49: 'INVALID_INVOICE_DATA',
  50: 'CANNOT_CANCEL_PAID_INVOICE',
  51: 'CANNOT_CANCEL_INVOICE_IN_PROGRESS',
  53: 'INVALID_SEQR_ID',
  54: 'INVALID_INVOICE_REFERENCE',
  60: 'AUTHORIZATION_EXPIRED',
  61: 'AUTHORIZATION_CANCELLED',
  62: 'AUTHORIZATION_IN_PROGRESS',
  63: 'INVALID_AUTHORIZATION_REFERENCE',
  64: 'INVALID_NOTIFICATION_URL',
  90: 'SYSTEM_ERROR',
  91: 'UNSUPPORTED_OPERATION',
  92: 'LICENSE_REJECTION',
  93: 'SYSTEM_BUSY',
  94: 'SERVICE_UNAVAILABLE',
  95: 'INVOICE_ALREADY_CANCELED',
  96: 'INVOICE_STATE_NOT_RESERVED',
  97: 'RESELLER_NOT_ALLOWED_TO_DO_REFUND',
  98: 'SUM_OF_REFUNDS_CAN_NOT_BE_MORE_THAN_ORIGINAL_TRANSACTION',
  99: 'RECEIVER_ACCOUNT_DOES_NOT_ALLOW_REFUNDS',
} as const;

export type ResultCode = keyof typeof RESULT_NAMES;

export function isResultCode(code: number): code is ResultCode {
  return Object.hasOwn(RESULT_NAMES, code);
}
