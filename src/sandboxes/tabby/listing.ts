/**
 * GET /api/v2/payments (tabby.md §3, §5): filters, pagination and Tabby's mixed status vocabulary.
 * Without `status`, only AUTHORIZED and CLOSED payments are listed, newest first.
 */
import { z } from 'zod';
import { badData, type Refusal } from './errors';
import type { PaymentRecord } from './model';
import type { PaymentStore } from './store';
import { paymentView } from './views';

/**
 * API statuses (authorized, closed, rejected) and Merchant Dashboard labels (new, captured,
 * refunded, cancelled), as Tabby documents, plus `created` and `expired`: our extension, so a
 * client that lost a session's answer can still find its unfinished or expired payment.
 */
const LIST_STATUSES = ['authorized', 'closed', 'rejected', 'new', 'captured', 'refunded', 'cancelled', 'created', 'expired'] as const;
type ListStatus = (typeof LIST_STATUSES)[number];

function matches(record: PaymentRecord, status: ListStatus): boolean {
  const closed = record.status === 'CLOSED';
  switch (status) {
    case 'authorized':
    case 'new':
      return record.status === 'AUTHORIZED';
    case 'closed':
      return closed;
    case 'captured':
      return closed && record.captures.length > 0 && record.refunds.length === 0;
    case 'refunded':
      return closed && record.refunds.length > 0;
    case 'cancelled':
      return closed && record.captures.length === 0;
    case 'rejected':
      return record.status === 'REJECTED';
    case 'created':
      return record.status === 'CREATED';
    case 'expired':
      return record.status === 'EXPIRED';
  }
}

/** A date is midnight UTC (Tabby: "no time should be provided, it starts at 00:00:00"); a date-time is taken as given. */
const instant = z.string().transform((value, ctx) => {
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(ms)) {
    ctx.addIssue({ code: 'custom', message: 'not an ISO 8601 date or date-time' });
    return z.NEVER;
  }
  return new Date(ms);
});

/** `status` may repeat or be comma-separated: several statuses widen the list. */
const statuses = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((value) => (value === undefined ? [] : [value].flat().flatMap((entry) => entry.split(','))))
  .pipe(z.array(z.enum(LIST_STATUSES)));

const listQuerySchema = z.object({
  created_at__gte: instant.optional(),
  created_at__lte: instant.optional(),
  limit: z.coerce.number().int().min(1).max(20).default(20),
  offset: z.coerce.number().int().min(0).default(0),
  status: statuses,
});

export interface PaymentList {
  payments: ReturnType<typeof paymentView>[];
  pagination: { limit: number; offset: number; total_count: number };
}

export function listPayments(store: PaymentStore, query: unknown): PaymentList | Refusal {
  const parsed = listQuerySchema.safeParse(query);
  // Tabby's one documented answer to a bad list query (T1).
  if (!parsed.success) return badData('failed to decode request');
  const { created_at__gte: from, created_at__lte: to, limit, offset, status } = parsed.data;
  const wanted: readonly ListStatus[] = status.length > 0 ? status : ['authorized', 'closed'];
  const found = store
    .newestFirst()
    .filter((record) => (from === undefined || record.createdAt >= from) && (to === undefined || record.createdAt <= to))
    .filter((record) => wanted.some((name) => matches(record, name)));
  return {
    payments: found.slice(offset, offset + limit).map(paymentView),
    pagination: { limit, offset, total_count: found.length },
  };
}
