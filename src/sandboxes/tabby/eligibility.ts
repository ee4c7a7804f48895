/**
 * Tabby's pre-scoring at session creation (tabby.md §4.2): a session is `rejected` when the amount
 * is above the merchant's limit, or when a test has forced the next rejections through the
 * control API (standing in for reasons the sandbox cannot model: a disabled branch, scoring).
 */
import type { Currency } from './money';
import type { RejectionReason } from './schemas';

export class Eligibility {
  private forcedLeft = 0;
  private forcedReason: RejectionReason = 'not_available';

  constructor(private readonly maxOrderAmount: ReadonlyMap<Currency, number>) {}

  /** Null when eligible, else the rejection reason. A forced rejection is used up by this call. */
  check(currency: Currency, amount: number): RejectionReason | null {
    if (this.forcedLeft > 0) {
      this.forcedLeft--;
      return this.forcedReason;
    }
    const limit = this.maxOrderAmount.get(currency);
    return limit !== undefined && amount > limit ? 'order_amount_too_high' : null;
  }

  /** The next `count` sessions are rejected with `reason` (replacing any count still left). */
  rejectNext(count: number, reason: RejectionReason): void {
    this.forcedLeft = count;
    this.forcedReason = reason;
  }

  state(): { reject_next: number; reason: RejectionReason } {
    return { reject_next: this.forcedLeft, reason: this.forcedReason };
  }

  reset(): void {
    this.rejectNext(0, 'not_available');
  }
}
