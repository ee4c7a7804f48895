/**
 * One payment of the campaign as it happens at a till: create, the customer's part, the till's
 * capture or cancel, refunds, until the payment is final. The till long-polls throughout and
 * repeats every request the service could not answer. When the plan carries a targeted kill, the
 * step that sends the targeted provider call is run through the disruptor, which holds that call at
 * the sandbox and kills the victim while it is in flight. What did not go as planned (a customer
 * who came too late, a command refused because the payment had moved on) is noted, not judged:
 * the invariant check judges the outcome.
 */
import { FINAL_STATES, PAID_STATES, type PaymentResource, type Refund } from '../../workflows/payment';
import { describeAnswer } from '../api';
import type { Answer } from '../http';
import { Till, type LongPollCounts } from '../till';
import type { Customer, PaymentTill } from './customers';
import type { Disruptor } from './disruptor';
import { createTriggeredBy, heldCall, heldCallIsOwn } from './held-calls';
import type { PaymentPlan } from './plan';
import type { RetryingPos } from './pos';
import type { SandboxControl } from './sandbox-control';
import type { SeqrTills } from './seqr-tills';
import type { Moment, ProviderName } from './settings';

export interface FlowContext {
  pos: RetryingPos;
  customers: Record<ProviderName, Customer>;
  sandboxes: Record<ProviderName, SandboxControl>;
  disruptor: Disruptor;
  seqrTills: SeqrTills;
  /** Where the Paysera tables are (PAYSERA_LOCATION_ID). */
  payseraLocationId: string;
  counts: LongPollCounts;
  signal: AbortSignal;
  /** How long a till waits for one step (the customer's decision seen, a capture, a refund) before it gives up on the payment. */
  stepTimeoutMs: number;
  holdMs: number;
}

export interface FlowRecord {
  plan: PaymentPlan;
  id: string;
  /** Whether the create was answered with a payment. */
  created: boolean;
  /** What did not go as planned, for the report (not a verdict). */
  notes: string[];
}

/** The tills of the other providers: no per-till state at the provider to keep apart. */
const POS_ID: Record<Exclude<ProviderName, 'seqr'>, string> = { settle: 'till-1', tabby: 'kiosk-1', paysera: 'waiter-1' };

export const payseraTable = (plan: PaymentPlan) => `CHAOS${plan.index}`;

const decided = (payment: PaymentResource) => payment.state !== 'pending' && payment.state !== 'awaiting_customer';
export const isFinal = (payment: PaymentResource) =>
  [...FINAL_STATES, ...PAID_STATES].includes(payment.state) && !payment.refunds.some((refund) => refund.state === 'pending');

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));
/** How often a till repeats a command answered 202 (each repeat waits up to 20 s for the outcome). */
const COMMAND_REPEATS = 6;

class PaymentFlow {
  private till: PaymentTill | null = null;

  constructor(
    private readonly plan: PaymentPlan,
    private readonly ctx: FlowContext,
    private readonly record: FlowRecord,
  ) {}

  /** Resolves true once nothing of the payment can move any more: final, or refused at create. */
  async run(posId: string): Promise<boolean> {
    const created = await this.create(posId);
    if (created === null) return true;
    this.record.created = true;
    const till = new Till<PaymentResource>(this.ctx.pos.api, created, this.ctx.counts, this.ctx.signal);
    this.till = till;
    try {
      if (!decided(till.payment)) await this.customerActs(till);
      await this.untilDecided(till);
      await this.tillActs(till);
      await till.until(isFinal, this.ctx.stepTimeoutMs, 'final');
      return true;
    } finally {
      till.stop();
    }
  }

  private note(text: string): void {
    this.record.notes.push(text);
  }

  /** Runs `trigger`, through the disruptor when this is the plan's targeted step. */
  private async step<T>(moment: Moment, targeted: boolean, what: string, trigger: () => Promise<T>): Promise<T> {
    const { target } = this.plan;
    if (!target || target.moment !== moment || !targeted) return trigger();
    const { provider } = this.plan;
    const match = heldCall(moment, provider, this.till?.payment ?? null);
    const whose = heldCallIsOwn(moment, provider) ? '' : ' (the next such call of any payment is held)';
    const { running } = await this.ctx.disruptor.killDuring(target, this.ctx.sandboxes[provider], match, this.ctx.holdMs, `${what} of ${this.record.id}${whose}`, trigger);
    return running;
  }

  private async create(posId: string): Promise<PaymentResource | null> {
    const { plan } = this;
    const body = {
      provider: plan.provider,
      pos_id: posId,
      pos_tid: plan.posTid,
      amount: plan.amount,
      currency: plan.currency,
      capture_mode: plan.captureMode,
      timeout_seconds: plan.timeoutSeconds,
      description: `chaos payment ${plan.index}`,
      ...(plan.provider === 'paysera' ? { provider_options: { spot_code: `PAYSERA*${this.ctx.payseraLocationId}:${payseraTable(plan)}` } } : {}),
    };
    const send = () => this.ctx.pos.send<PaymentResource>('create', 'POST', '/v1/payments', body);
    const answer = await this.step('create', createTriggeredBy(plan.provider) === 'pos', 'create', send);
    if (answer.status === 200 || answer.status === 201) return answer.body;
    this.note(`create answered ${describeAnswer(answer)}`);
    return null;
  }

  private async customerActs(till: PaymentTill): Promise<void> {
    const customer = this.ctx.customers[this.plan.provider];
    const act = async (what: string, action: () => Promise<void>) => {
      try {
        await action();
      } catch (error) {
        if (!this.ctx.signal.aborted) this.note(`customer could not ${what}: ${message(error)}`);
      }
    };
    const arrive = () => act('arrive', () => this.step('create', createTriggeredBy(this.plan.provider) === 'customer', 'customer arrival', () => customer.arrive(till)));
    switch (this.plan.customer) {
      case 'pays':
        await arrive();
        await act('pay', () => customer.pay(till, this.plan));
        return;
      case 'rejects':
        await arrive();
        await act('reject', () => customer.reject(till));
        return;
      case 'walks_away':
        if (this.plan.arrives) await arrive();
        return;
      case 'till_cancels':
        if (this.plan.arrives) await arrive();
        await this.cancel();
        return;
      case 'races_cancel':
        await arrive();
        await Promise.all([act('pay', () => customer.pay(till, this.plan)), this.cancel()]);
        return;
    }
  }

  /**
   * Waits for the customer phase to end. A lapsed SEQR cashier window (`retry_or_cancel`) is
   * answered as a cashier whose customer is still coming would: retry. A walker is left to the timeout.
   */
  private async untilDecided(till: PaymentTill): Promise<void> {
    const giveUpAt = Date.now() + this.plan.timeoutSeconds * 1000 + this.ctx.stepTimeoutMs;
    const left = () => Math.max(giveUpAt - Date.now(), 1);
    for (;;) {
      const asks = (p: PaymentResource) => p.action_required === 'retry_or_cancel' && this.plan.customer !== 'walks_away';
      const { payment } = await till.until((p) => decided(p) || asks(p), left(), 'the customer phase over');
      if (decided(payment)) return;
      const answer = await this.ctx.pos.send('retry', 'POST', `/v1/payments/${payment.id}/retry`);
      if (answer.status !== 200) this.note(`retry answered ${describeAnswer(answer)}`);
      await till.until((p) => decided(p) || p.action_required === null, left(), 'the retried window');
    }
  }

  private async tillActs(till: PaymentTill): Promise<void> {
    if (till.payment.state === 'authorized') {
      const after = this.plan.afterAuthorization;
      // In auto mode (Tabby approved without its own capture) the service captures by itself.
      if (this.plan.captureMode === 'manual' && after.kind === 'cancel') await this.cancel();
      if (this.plan.captureMode === 'manual' && after.kind === 'capture') await this.capture(till.payment, after.share);
      await till.until((p) => p.state !== 'authorized', this.ctx.stepTimeoutMs, 'the authorization captured or released');
    }
    if (PAID_STATES.includes(till.payment.state)) await this.refunds(till.payment);
  }

  private async cancel(): Promise<void> {
    const answer = await this.ctx.pos.send<PaymentResource>('cancel', 'POST', `/v1/payments/${this.record.id}/cancel`, { reason: 'chaos: the till cancels' });
    if (answer.status !== 200) this.note(`cancel answered ${describeAnswer(answer)}`);
  }

  private async capture(payment: PaymentResource, share: number): Promise<void> {
    const amount = share >= 1 ? null : Math.max(1, Math.floor(payment.authorized_amount * share));
    const send = () => this.ctx.pos.send<PaymentResource>('capture', 'POST', `/v1/payments/${payment.id}/capture`, amount === null ? {} : { amount });
    const answer = await this.step('capture', true, 'capture', send);
    if (answer.status !== 200) this.note(`capture answered ${describeAnswer(answer)}`);
  }

  private async refunds(paid: PaymentResource): Promise<void> {
    let payment = paid;
    for (const step of this.plan.refunds) {
      const pending = payment.refunds.filter((refund) => refund.state === 'pending').reduce((sum, refund) => sum + refund.amount, 0);
      const left = payment.captured_amount - payment.refunded_amount - pending;
      const amount = step.share === 'rest' ? left : Math.max(1, Math.floor(payment.captured_amount * step.share));
      if (amount <= 0 || amount > left) {
        this.note(`refund ${step.refundId} skipped: ${left} left to refund`);
        continue;
      }
      const send = () => this.ctx.pos.send<{ refund: Refund; payment: PaymentResource }>('refund', 'POST', `/v1/payments/${payment.id}/refunds`, { amount, refund_id: step.refundId, reason: 'chaos' });
      const answer = await this.untilAnswered(await this.step('refund', step.targeted, `refund ${step.refundId}`, send), send);
      if (!this.refundAnswered(step.refundId, answer)) continue;
      payment = answer.body.payment;
      if (step.repeat) {
        const again = await send();
        if (this.refundAnswered(`${step.refundId} (repeated)`, again) && again.body.refund.state !== answer.body.refund.state) {
          this.note(`refund ${step.refundId} repeated: ${answer.body.refund.state} first, ${again.body.refund.state} the second time`);
        }
      }
    }
  }

  /**
   * A command still under way answers 202 (the provider has not answered yet): a till sends the very
   * same command again, which answers its outcome once there is one.
   */
  private async untilAnswered<T>(first: Answer<T>, send: () => Promise<Answer<T>>): Promise<Answer<T>> {
    let answer = first;
    for (let repeat = 0; answer.status === 202 && repeat < COMMAND_REPEATS; repeat += 1) answer = await send();
    return answer;
  }

  private refundAnswered(refundId: string, answer: Answer<{ refund: Refund; payment: PaymentResource }>): boolean {
    if (answer.status !== 200 && answer.status !== 201) {
      this.note(`refund ${refundId} answered ${describeAnswer(answer)}`);
      return false;
    }
    const { refund } = answer.body;
    if (refund.state !== 'succeeded') this.note(`refund ${refundId} ${refund.state}${refund.failure ? ` (${refund.failure.code})` : ''}`);
    return true;
  }
}

/** Runs one planned payment to its end; never throws (a till that gives up is a note). */
export async function runPayment(plan: PaymentPlan, ctx: FlowContext): Promise<FlowRecord> {
  const posId = plan.provider === 'seqr' ? await ctx.seqrTills.acquire() : POS_ID[plan.provider];
  const record: FlowRecord = { plan, id: ctx.pos.api.paymentId(posId, plan.posTid), created: false, notes: [] };
  let settled = false;
  try {
    settled = await new PaymentFlow(plan, ctx, record).run(posId);
  } catch (error) {
    if (!ctx.signal.aborted) record.notes.push(`the till gave up: ${message(error)}`);
  } finally {
    // A SEQR till whose payment may still take money must not get another invoice: it is left aside.
    if (plan.provider === 'seqr' && settled) ctx.seqrTills.release(posId);
  }
  return record;
}
