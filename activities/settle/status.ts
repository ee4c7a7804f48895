/**
 * Settle outcome → our provider status (settle.md §5). Known codes are listed one by one; anything
 * else follows Settle's documented rule: 1xxx/3xxx wait, 2xxx success, 4xxx/5xxx failure.
 */
import type { ProviderObservation, ProviderStatus } from '../../workflows/provider-contract';
import { parseSettleTimestamp } from './signature';
import type { SettleOutcome } from './wire';

const NAMES: Readonly<Record<number, string>> = {
  1003: 'PENDING', 3008: 'AUTH', 2000: 'OK', 4004: 'NOT_FOUND', 4019: 'ABORTED',
  5006: 'REJECTED', 5011: 'REQUEST_EXPIRED', 5012: 'AUTH_EXPIRED',
};

export function statusOfCode(code: number): ProviderStatus {
  switch (code) {
    case 1003: return 'pending';
    case 3008: return 'authorized';
    case 2000: return 'captured';
    case 4019: return 'cancelled';
    case 5006: return 'rejected';
    case 5011:
    case 5012: return 'expired';
    case 4004: return 'failed';
  }
  switch (Math.floor(code / 1000)) {
    case 1:
    case 3: return 'pending';
    case 2: return 'captured';
    case 4:
    case 5: return 'failed';
    default: throw new Error(`Settle status_code ${code} is outside every documented class`);
  }
}

export function describeCode(code: number): string {
  return `${code} ${NAMES[code] ?? 'UNLISTED'}`;
}

const sum = (items: readonly { amount: number }[]) => items.reduce((total, item) => total + item.amount, 0);

export function observationOf(outcome: SettleOutcome): ProviderObservation {
  const status = statusOfCode(outcome.status_code);
  const captured = sum(outcome.captures);
  const detail = describeCode(outcome.status_code);
  return {
    status,
    authorized_amount: status === 'authorized' || status === 'captured' ? outcome.auth_amount + captured : 0,
    captured_amount: captured,
    refunded_amount: sum(outcome.refunds),
    authorization_expires_at: status === 'authorized' && outcome.date_expires ? parseSettleTimestamp(outcome.date_expires) : null,
    reference: { tid: outcome.tid, status_code: String(outcome.status_code) },
    failure: status === 'failed' || status === 'rejected' || status === 'expired'
      ? { code: `settle_${outcome.status_code}`, message: `Settle answered ${detail}` }
      : null,
    detail,
  };
}
