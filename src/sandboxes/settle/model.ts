/**
 * The sandbox's in-memory picture of a payment request. Field names follow our own conventions;
 * outcome.ts turns a record into Settle's wire shape.
 */
import type { CreatePaymentRequest } from './schemas';

/** The outcome codes the sandbox can produce (settle.md §5). */
export const STATUS = {
  PENDING: 1003,
  AUTH: 3008,
  OK: 2000,
  NOT_FOUND: 4004,
  ABORTED: 4019,
  REJECTED: 5006,
  REQUEST_EXPIRED: 5011,
  AUTH_EXPIRED: 5012,
} as const;

export type StatusCode = (typeof STATUS)[keyof typeof STATUS];

/** Settle's coarse `status` for each code. */
export function statusName(code: StatusCode): 'pending' | 'auth' | 'ok' | 'fail' {
  switch (code) {
    case STATUS.PENDING:
      return 'pending';
    case STATUS.AUTH:
      return 'auth';
    case STATUS.OK:
      return 'ok';
    default:
      return 'fail';
  }
}

export interface MoneyMovement {
  /** capture_id / refund_id, or null for the one-step full variant. */
  id: string | null;
  amount: number;
  additionalAmount: number;
}

export interface Refund extends MoneyMovement {
  text: string | null;
}

/** Who asked for what and how the sandbox answered; tests assert on this ("exactly one capture"). */
export interface ActionLogEntry {
  action: string;
  source: 'merchant' | 'customer' | 'timer';
  at: string;
  /** HTTP status the sandbox answered; null for timer-driven transitions, which answer nobody. */
  result: number | null;
  params?: Record<string, unknown>;
}

/** The merchant action whose repeat is a no-op 204 rather than a 409 (settle.md §10). */
export type EndingAction = 'abort' | 'release';

export interface PaymentRecord {
  tid: string;
  createdAt: Date;
  /** The validated create body, returned by GET /payment_request/{tid}/. */
  request: CreatePaymentRequest;
  /** Canonical JSON of `request`; decides 200-identical versus 409-different on a repeated POST. */
  fingerprint: string;
  /** May be changed by PUT; callbacks go to the URI registered at the time of the event. */
  callbackUri: string | null;
  status: StatusCode;
  /** Set when abort or release produced the current 4019, so that exact repeat answers 204. */
  endedBy: EndingAction | null;
  /** Static (`shortlink_id:`) requests wait for a scan; every other customer is reached at once. */
  shortlinkId: string | null;
  scanToken: string | null;
  additionalAmount: number;
  authAmount: number;
  authAdditionalAmount: number;
  captures: MoneyMovement[];
  refunds: Refund[];
  dateModified: Date;
  dateExpires: Date | null;
  actions: ActionLogEntry[];
  /** How often the merchant read the outcome: lets a test or a person see the polling cadence. */
  outcomeReads: number;
}

export function customerReached(record: PaymentRecord): boolean {
  return record.shortlinkId === null || record.scanToken !== null;
}

export interface Shortlink {
  id: string;
  callbackUri: string | null;
  /** Config shortlinks survive a reset; ones created over the API do not. */
  preRegistered: boolean;
}

/** One customer scan of a shortlink QR; its token is what `token:<n>` customers refer to. */
export interface Scan {
  token: string;
  shortlinkId: string;
  argstring: string;
  at: Date;
  assignedTid: string | null;
}
