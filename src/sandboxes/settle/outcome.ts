/** Settle's wire shapes of a payment request: the outcome (settle.md §4.3) and the request as created. */
import { statusName, type MoneyMovement, type PaymentRecord } from './model';
import { settleClock } from './rsa-auth';

export interface SettleOutcome {
  tid: string;
  pos_id: string;
  pos_tid: string;
  status: 'pending' | 'auth' | 'ok' | 'fail';
  status_code: number;
  customer: string;
  currency: string;
  amount: number;
  additional_amount: number;
  auth_amount: number;
  auth_additional_amount: number;
  captures: { id: string | null; amount: number; additional_amount: number }[];
  refunds: { id: string | null; amount: number; additional_amount: number; chat_message_data_text?: string }[];
  date_modified: string;
  date_expires: string | null;
  credit: boolean;
  interchange_fee: number;
  transaction_fee: number;
  attachment_uri: string | null;
  permissions: null;
}

function movement(entry: MoneyMovement): { id: string | null; amount: number; additional_amount: number } {
  return { id: entry.id, amount: entry.amount, additional_amount: entry.additionalAmount };
}

export function toOutcome(record: PaymentRecord): SettleOutcome {
  return {
    tid: record.tid,
    pos_id: record.request.pos_id,
    pos_tid: record.request.pos_tid,
    status: statusName(record.status),
    status_code: record.status,
    customer: record.request.customer,
    currency: record.request.currency,
    amount: record.request.amount,
    additional_amount: record.additionalAmount,
    auth_amount: record.authAmount,
    auth_additional_amount: record.authAdditionalAmount,
    captures: record.captures.map(movement),
    refunds: record.refunds.map((refund) => ({
      ...movement(refund),
      ...(refund.text === null ? {} : { chat_message_data_text: refund.text }),
    })),
    date_modified: settleClock(record.dateModified),
    date_expires: record.dateExpires === null ? null : settleClock(record.dateExpires),
    // The sandbox moves no money: no credit card is ever charged, so there are no fees.
    credit: false,
    interchange_fee: 0,
    transaction_fee: 0,
    // Settle hands out a short-lived upload URL here; the sandbox has no attachment store.
    attachment_uri: null,
    permissions: null,
  };
}

/** GET /payment_request/{tid}/: the request as created, with the callback URI as currently registered. */
export function toRequestView(record: PaymentRecord): Record<string, unknown> {
  return { ...record.request, callback_uri: record.callbackUri };
}
