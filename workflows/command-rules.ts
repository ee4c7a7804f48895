/**
 * When a POS command repeats an earlier one (shared/spec/pos-api.md, "Commands"). Repeating the very
 * same command returns its first outcome; a different command is refused, never merged into the
 * first nor answered as if it had worked. Pure rules, shared by the workflow's validators and the
 * ingress, which answers for payments whose workflow has already completed.
 */
import { formatMinorUnits } from './money';
import type { Refund } from './payment';

/** Two captures are the same command only with the same amount; `null` ("capture all") equals only `null`. */
export function sameCapture(first: { amount: number | null }, next: { amount: number | null }): boolean {
  return first.amount === next.amount;
}

export function describeCapture(amount: number | null, currency: string): string {
  return amount === null ? 'a capture of the whole authorization' : `a capture of ${formatMinorUnits(amount, currency)} ${currency}`;
}

/**
 * A `refund_id` names one refund for good: the same id with the same amount is that refund again,
 * with another amount it is a conflict (the `reason` is a note, not part of the command). Answers
 * why it conflicts, or null for a repeat.
 */
export function refundIdConflict(existing: Refund, amount: number, currency: string): string | null {
  if (existing.amount === amount) return null;
  const money = (value: number) => `${formatMinorUnits(value, currency)} ${currency}`;
  return `refund_id ${existing.refund_id} already names a refund of ${money(existing.amount)}; a refund of ${money(amount)} needs another refund_id`;
}
