/**
 * The verdict on one payment: the payment as the service shows it against what its provider
 * recorded. Anomalies are what must never happen whatever crashed: money taken, refunded or held on
 * one side and not the other, a capture or a refund done twice, a refund paid while the payment
 * says it failed, something still payable or held at the provider on a payment that ended, a
 * payment that never became final. A refund reported failed with `refund_outcome_unknown` is the
 * service's documented answer to an unanswered call without idempotency (README, "SEQR
 * specifics"): an operator must look at it, so it is listed apart, with what the provider says.
 */
import { FINAL_STATES, PAID_STATES, type PaymentResource, type Refund } from '../../workflows/payment';
import { formatMinorUnits } from '../../workflows/money';
import type { ProviderLedger } from './ledgers';

export type VerdictKind =
  | 'anomaly'
  /** A refund failed with refund_outcome_unknown: documented, but someone must check with the provider. */
  | 'operator'
  /** Not final, but waiting for a documented reason (a cashier's decision). */
  | 'waiting'
  /** Worth knowing, not wrong (an orphan object nobody was shown). */
  | 'note';

export interface Verdict {
  kind: VerdictKind;
  text: string;
}

export const UNKNOWN_REFUND_OUTCOME = 'refund_outcome_unknown';

const sum = (amounts: readonly number[]) => amounts.reduce((total, amount) => total + amount, 0);
const isUnknown = (refund: Refund) => refund.state === 'failed' && refund.failure?.code === UNKNOWN_REFUND_OUTCOME;

class Judgement {
  readonly verdicts: Verdict[] = [];

  constructor(
    private readonly payment: PaymentResource,
    private readonly ledger: ProviderLedger,
  ) {}

  money(amount: number): string {
    return `${formatMinorUnits(amount, this.payment.currency)} ${this.payment.currency}`;
  }

  add(kind: VerdictKind, text: string): void {
    this.verdicts.push({ kind, text });
  }

  /** Final, or waiting for a documented reason. */
  standing(): void {
    const { payment } = this;
    const pending = payment.refunds.filter((refund) => refund.state === 'pending');
    const final = [...FINAL_STATES, ...PAID_STATES].includes(payment.state) && pending.length === 0;
    if (final) return;
    const what = `${payment.state}${pending.length > 0 ? `, refund ${pending.map((refund) => refund.refund_id).join(', ')} pending` : ''}`;
    if (payment.action_required !== null && pending.length === 0) this.add('waiting', `${what}: action_required ${payment.action_required}`);
    else this.add('anomaly', `not final: ${what}`);
  }

  /** The payment agrees with itself: refunded = its succeeded refunds, never above captured, state as the amounts say. */
  arithmetic(): void {
    const { payment } = this;
    const succeeded = sum(payment.refunds.filter((refund) => refund.state === 'succeeded').map((refund) => refund.amount));
    if (payment.refunded_amount !== succeeded) this.add('anomaly', `refunded_amount ${this.money(payment.refunded_amount)} but its succeeded refunds add up to ${this.money(succeeded)}`);
    if (payment.refunded_amount > payment.captured_amount) this.add('anomaly', `refunded ${this.money(payment.refunded_amount)} of ${this.money(payment.captured_amount)} captured`);
    if (PAID_STATES.includes(payment.state)) {
      const expected = payment.refunded_amount === 0 ? 'captured' : payment.refunded_amount < payment.captured_amount ? 'partially_refunded' : 'refunded';
      if (payment.state !== expected) this.add('anomaly', `state ${payment.state} but ${this.money(payment.refunded_amount)} of ${this.money(payment.captured_amount)} refunded`);
    } else if (payment.captured_amount > 0) {
      this.add('anomaly', `state ${payment.state} with ${this.money(payment.captured_amount)} captured`);
    }
  }

  /** Taken once, the same amount on both sides. */
  captured(): void {
    const { payment, ledger } = this;
    if (ledger.captured !== payment.captured_amount) this.add('anomaly', `captured ${this.money(payment.captured_amount)} here, ${this.money(ledger.captured)} at ${payment.provider} (${ledger.summary})`);
    if (ledger.captures > 1) this.add('anomaly', `${ledger.captures} captures at ${payment.provider} (${ledger.summary})`);
  }

  /** Nothing held or payable at the provider once the payment ended. */
  released(): void {
    const { payment, ledger } = this;
    if (![...FINAL_STATES, ...PAID_STATES].includes(payment.state)) return;
    if (ledger.held > 0) this.add('anomaly', `${this.money(ledger.held)} still held at ${payment.provider} although the payment is ${payment.state} (${ledger.summary})`);
    for (const payable of ledger.payable) {
      if (payable.shown) this.add('anomaly', `${payable.what} can still be paid at ${payment.provider} although the payment is ${payment.state}`);
      else this.add('note', `${payable.what} at ${payment.provider} was never shown to anyone (an interrupted create's leftover; it expires by itself)`);
    }
  }

  /** Refunds matched one by one where the provider keeps our refund_id, by total where it does not. */
  refunded(): void {
    const { payment, ledger } = this;
    const paidAt = (refundId: string) => ledger.refunds.filter((refund) => refund.refundId === refundId);
    if (ledger.refunds.some((refund) => refund.refundId === null)) {
      this.refundedByTotal();
      return;
    }
    for (const refundId of new Set(ledger.refunds.map((refund) => refund.refundId!))) {
      const paid = paidAt(refundId);
      const ours = payment.refunds.find((refund) => refund.refund_id === refundId);
      if (paid.length > 1) this.add('anomaly', `refund ${refundId} paid ${paid.length} times at ${payment.provider}: ${paid.map((refund) => this.money(refund.amount)).join(' + ')}`);
      if (!ours) this.add('anomaly', `refund ${refundId} of ${this.money(paid[0]!.amount)} at ${payment.provider} is not one of the payment's refunds`);
    }
    for (const refund of payment.refunds) {
      const paid = paidAt(refund.refund_id);
      const where = paid.length === 0 ? 'not paid' : `paid ${paid.map((entry) => this.money(entry.amount)).join(' + ')}`;
      if (refund.state === 'succeeded') {
        if (paid.length === 0) this.add('anomaly', `refund ${refund.refund_id} of ${this.money(refund.amount)} succeeded here but is not at ${payment.provider}`);
        else if (paid.some((entry) => entry.amount !== refund.amount)) this.add('anomaly', `refund ${refund.refund_id} of ${this.money(refund.amount)} here is ${where} at ${payment.provider}`);
      } else if (isUnknown(refund)) {
        this.add('operator', `refund ${refund.refund_id} of ${this.money(refund.amount)} failed with ${UNKNOWN_REFUND_OUTCOME}; at ${payment.provider}: ${where}${this.otherRefunds(refund)}`);
      } else if (refund.state === 'failed' && paid.length > 0) {
        this.add('anomaly', `refund ${refund.refund_id} of ${this.money(refund.amount)} failed here (${refund.failure?.code ?? '?'}: ${refund.failure?.message ?? ''}) but was ${where} at ${payment.provider}`);
      }
    }
  }

  /** What the operator sees next to an unknown refund: the payment's other refunds, which may have been decided on its account. */
  private otherRefunds(unknown: Refund): string {
    const others = this.payment.refunds.filter((refund) => refund !== unknown);
    if (others.length === 0) return '';
    const describe = (refund: Refund) => `${refund.refund_id} ${this.money(refund.amount)} ${refund.state}${refund.failure ? ` (${refund.failure.code})` : ''}`;
    return ` (the payment's other refunds: ${others.map(describe).join(', ')}; refunded_amount ${this.money(this.payment.refunded_amount)})`;
  }

  /** Paysera keeps no refund id: the provider's total must be the succeeded refunds, plus any whose outcome is unknown. */
  private refundedByTotal(): void {
    const { payment, ledger } = this;
    const atProvider = sum(ledger.refunds.map((refund) => refund.amount));
    const succeeded = sum(payment.refunds.filter((refund) => refund.state === 'succeeded').map((refund) => refund.amount));
    const unknown = payment.refunds.filter(isUnknown);
    const unknownAmount = sum(unknown.map((refund) => refund.amount));
    for (const refund of unknown) this.add('operator', `refund ${refund.refund_id} of ${this.money(refund.amount)} failed with ${UNKNOWN_REFUND_OUTCOME}; ${payment.provider} refunded ${this.money(atProvider)} in all${this.otherRefunds(refund)}`);
    if (atProvider !== succeeded && !(unknown.length > 0 && atProvider === succeeded + unknownAmount)) {
      this.add('anomaly', `refunded ${this.money(succeeded)} here (${payment.refunds.map((refund) => `${refund.refund_id} ${refund.state}`).join(', ') || 'no refund'}), ${this.money(atProvider)} at ${payment.provider} (${ledger.summary})`);
    }
  }
}

export function judge(payment: PaymentResource, ledger: ProviderLedger): Verdict[] {
  const judgement = new Judgement(payment, ledger);
  judgement.standing();
  judgement.arithmetic();
  judgement.captured();
  judgement.released();
  judgement.refunded();
  return judgement.verdicts;
}
