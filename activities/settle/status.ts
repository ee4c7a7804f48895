/**
 * Settle outcome → our provider status (settle.md §5). Listed codes are mapped one by one; any
 * other code follows Settle's documented rule by its class: 1xxx/3xxx wait, 2xxx success,
 * 4xxx/5xxx failure. Both switches are exhaustive over their parsed types; a code outside every
 * class is refused where the outcome is parsed (wire.ts), and again here for direct callers.
 */
import type { ProviderObservation, ProviderStatus } from '../../workflows/provider-contract';
import { unreachable } from '../exhaustive';
import { parseSettleTimestamp } from './signature';
import { isListedStatusCode, LISTED_STATUS_CODES, statusCodeClass, type ListedStatusCode, type SettleOutcome, type StatusCodeClass } from './wire';

function statusOfListed(code: ListedStatusCode): ProviderStatus {
  switch (code) {
    case 1003: return 'pending';
    case 3008: return 'authorized';
    case 2000: return 'captured';
    case 4019: return 'cancelled';
    case 5006: return 'rejected';
    case 5011:
    case 5012: return 'expired';
    case 4004: return 'failed';
    default: return unreachable(code, 'Settle status_code');
  }
}

function statusOfClass(codeClass: StatusCodeClass): ProviderStatus {
  switch (codeClass) {
    case 1:
    case 3: return 'pending';
    case 2: return 'captured';
    case 4:
    case 5: return 'failed';
    default: return unreachable(codeClass, 'Settle status_code class');
  }
}

export function statusOfCode(code: number): ProviderStatus {
  if (isListedStatusCode(code)) return statusOfListed(code);
  const codeClass = statusCodeClass(code);
  if (codeClass === null) throw new Error(`Settle status_code ${code} is outside every documented class`);
  return statusOfClass(codeClass);
}

export function describeCode(code: number): string {
  return `${code} ${isListedStatusCode(code) ? LISTED_STATUS_CODES[code] : 'UNLISTED'}`;
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
    reference: { tid: outcome.tid },
    failure: status === 'failed' || status === 'rejected' || status === 'expired'
      ? { code: `settle_${outcome.status_code}`, message: `Settle answered ${detail}` }
      : null,
    detail,
  };
}
