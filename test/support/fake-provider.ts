/**
 * A scripted payment provider behind the workflow's activity interface, for workflow tests: each
 * payment has a "truth" (what the provider would answer right now) that the test moves, one-shot
 * hooks that act at the very moment a given call arrives (the other side of a race), and a record
 * of every call so that tests assert exact counts instead of sleeping and hoping.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { InjectedSinks } from '@temporalio/worker';
import type { CreatePaymentRequest } from '../../workflows/payment';
import type {
  LocalPaymentActivities,
  PaymentActivities,
  PreparedPayment,
  ProviderObservation,
  ProviderPaymentContext,
  ProviderStatus,
  ProviderTraits,
} from '../../workflows/provider-contract';
import type { PollNudgeSinks } from '../../workflows/provider-poll';

export type ActivityName = keyof PaymentActivities | keyof LocalPaymentActivities;

export interface RecordedCall {
  name: ActivityName;
  /** The arguments after the payment context (reference, amount, refund command...). */
  args: unknown[];
  /** When it arrived (epoch ms), for calls whose timing is the point (renewals). */
  at: number;
}

/**
 * Runs when a call arrives, before the fake answers: it may move the truth, wait, throw a provider
 * failure, or answer an observation of its own instead of the fake's (a provider that is not
 * consistent with itself for a moment, as in a race).
 */
export type Hook = (call: RecordedCall) => Promise<ProviderObservation | void> | ProviderObservation | void;

/** A call held at the provider until the test lets it go. */
export interface HeldCall {
  arrived: Promise<RecordedCall>;
  release(): void;
}

/** Test-sized cadences: polls every 100 ms, a refund window far beyond any test unless a test shortens it. */
export const FAST_TRAITS: ProviderTraits = {
  poll_interval_ms: 100,
  poll_heartbeat_timeout_ms: 2000,
  renew_authorization_before_ms: null,
  refund_window_ms: 600_000,
  customer_window_ms: null,
  confirms_capture: false,
  polls_for_customer: false,
  refunds_partially: true,
  finishes_at_provider: false,
};

/**
 * How the provider sets a payment up: `charge` creates the provider charge at once (a poll follows
 * its status), `token` waits for the customer's token from a webhook, `poll-customer` for a customer
 * found by polling; `declined` says no before there is anything to show.
 */
export type Setup = 'charge' | 'token' | 'poll-customer' | { declined: ProviderObservation };

export interface FakePaymentOptions {
  traits?: Partial<ProviderTraits>;
  setup?: Setup;
  /** How long an authorization lasts from approval or renewal; null when the provider says nothing. */
  authorizationValidityMs?: number | null;
  /** Scripts the provider before the workflow starts (e.g. to refuse the set-up). */
  arrange?: (provider: FakePayment) => void;
}

/** One payment at the fake provider. */
export class FakePayment {
  readonly traits: ProviderTraits;
  readonly setup: Setup;
  readonly calls: RecordedCall[] = [];
  truth: ProviderObservation;
  private readonly authorizationValidityMs: number | null;
  private customerToken: string | null = null;
  private readonly hooks = new Map<ActivityName, Hook[]>();
  private readonly arrivals: { name: ActivityName; count: number; resolve: (call: RecordedCall) => void }[] = [];
  private readonly changeListeners = new Set<() => void>();
  private readonly refundIds = new Set<string>();

  constructor(readonly request: CreatePaymentRequest, options: FakePaymentOptions = {}) {
    this.traits = { ...FAST_TRAITS, ...options.traits };
    this.setup = options.setup ?? 'charge';
    this.authorizationValidityMs = options.authorizationValidityMs ?? null;
    this.truth = observation('pending', 'created');
    options.arrange?.(this);
  }

  /** The customer approves: the provider holds `amount` (the whole payment by default). */
  approve(amount = this.request.amount): void {
    this.move({ status: 'authorized', authorized_amount: amount, authorization_expires_at: this.expiryFromNow(), detail: 'approved' });
  }

  /** The customer pays and the provider captures by itself. */
  capturedByProvider(amount = this.request.amount): void {
    this.move({ status: 'captured', authorized_amount: amount, captured_amount: amount, authorization_expires_at: null, detail: 'captured by the provider' });
  }

  /** The provider's view changes (rejected, expired...); waiting polls see it at once. */
  move(change: Partial<ProviderObservation>): void {
    this.truth = { ...this.truth, ...change };
    this.notify();
  }

  /** A customer identifies themselves at the provider (found by `awaitCustomer`). */
  customerArrives(token: string): void {
    this.customerToken = token;
    this.notify();
  }

  /** `hook` runs at the next call of `name` only, before the fake answers it. */
  onNext(name: ActivityName, hook: Hook): void {
    this.hooks.set(name, [...(this.hooks.get(name) ?? []), hook]);
  }

  /** The next call of `name` fails as the provider refusing it (a non-retryable failure of `code`). */
  refuseNext(name: ActivityName, code: string, message = `${name} refused`): void {
    this.onNext(name, () => {
      throw ApplicationFailure.nonRetryable(message, code);
    });
  }

  /** Holds the next call of `name` in flight (after it arrived) until `release`. */
  holdNext(name: ActivityName): HeldCall {
    const arrived = deferred<RecordedCall>();
    const released = deferred<void>();
    this.onNext(name, async (call) => {
      arrived.resolve(call);
      await released.promise;
    });
    return { arrived: arrived.promise, release: () => released.resolve() };
  }

  /** Resolves with the `count`-th call of `name`, at once when it already arrived. */
  called(name: ActivityName, count = 1): Promise<RecordedCall> {
    const arrived = this.callsOf(name)[count - 1];
    if (arrived) return Promise.resolve(arrived);
    return new Promise((resolve) => this.arrivals.push({ name, count, resolve }));
  }

  callsOf(name: ActivityName): RecordedCall[] {
    return this.calls.filter((call) => call.name === name);
  }

  count(name: ActivityName): number {
    return this.callsOf(name).length;
  }

  /** Records the call, lets its hook act, and answers with `answer` (the provider's default behaviour). */
  async handle<T>(name: ActivityName, args: unknown[], answer: (payment: FakePayment) => T | Promise<T>): Promise<T> {
    const call = { name, args, at: Date.now() };
    this.calls.push(call);
    const count = this.count(name);
    for (const arrival of this.arrivals.filter((a) => a.name === name && a.count === count)) {
      this.arrivals.splice(this.arrivals.indexOf(arrival), 1);
      arrival.resolve(call);
    }
    const [hook, ...rest] = this.hooks.get(name) ?? [];
    this.hooks.set(name, rest);
    const override = await hook?.(call);
    // A hook's own answer is only ever an observation, given for the activities that answer one.
    return override ? (override as T) : answer(this);
  }

  prepared(): PreparedPayment {
    if (typeof this.setup === 'object') return { kind: 'declined', observation: this.setup.declined };
    return {
      kind: 'ready',
      qr_content: `fake://pay/${this.request.pos_tid}`,
      traits: this.traits,
      reference: { fake_ref: this.request.pos_tid },
      observation: this.setup === 'charge' ? this.truth : null,
    };
  }

  capture(amount: number | null): ProviderObservation {
    if (this.truth.status !== 'authorized') throw ApplicationFailure.nonRetryable(`nothing to capture (${this.truth.status})`, 'capture_refused');
    this.move({ status: 'captured', captured_amount: amount ?? this.truth.authorized_amount, authorization_expires_at: null, detail: 'captured' });
    return this.truth;
  }

  /** Aborts or releases what is still open; a payment the customer completed stays what it is. */
  cancel(): ProviderObservation {
    if (this.truth.status === 'pending' || this.truth.status === 'authorized') this.move({ status: 'cancelled', authorization_expires_at: null, detail: 'cancelled' });
    return this.truth;
  }

  renew(): ProviderObservation {
    this.move({ authorization_expires_at: this.expiryFromNow(), detail: 'renewed' });
    return this.truth;
  }

  refund(refundId: string, amount: number): void {
    if (this.refundIds.has(refundId)) return;
    this.refundIds.add(refundId);
    this.move({ refunded_amount: this.truth.refunded_amount + amount });
  }

  /** Waits (heartbeating, so that a cancelled poll hears it) until `ready` holds. */
  async until(ready: () => boolean): Promise<void> {
    const context = Context.current();
    const heartbeat = setInterval(() => context.heartbeat(), 100);
    try {
      await new Promise<void>((resolve, reject) => {
        const check = () => {
          if (!ready()) return;
          this.changeListeners.delete(check);
          resolve();
        };
        this.changeListeners.add(check);
        context.cancelled.catch((error: Error) => {
          this.changeListeners.delete(check);
          reject(error);
        });
        check();
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  token(): string | null {
    return this.customerToken;
  }

  private notify(): void {
    for (const listener of [...this.changeListeners]) listener();
  }

  private expiryFromNow(): string | null {
    return this.authorizationValidityMs === null ? null : new Date(Date.now() + this.authorizationValidityMs).toISOString();
  }
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((settle) => (resolve = settle));
  return { promise, resolve };
}

function observation(status: ProviderStatus, detail: string): ProviderObservation {
  return { status, authorized_amount: 0, captured_amount: 0, refunded_amount: 0, authorization_expires_at: null, reference: {}, failure: null, detail };
}

/** All payments of one test file, behind one set of activities that dispatches on the payment id. */
export class FakeProvider {
  private readonly payments = new Map<string, FakePayment>();

  add(paymentId: string, payment: FakePayment): FakePayment {
    this.payments.set(paymentId, payment);
    return payment;
  }

  private of(payment: Pick<ProviderPaymentContext, 'payment_id'>): FakePayment {
    const fake = this.payments.get(payment.payment_id);
    if (!fake) throw ApplicationFailure.nonRetryable(`the fake provider knows no payment ${payment.payment_id}`);
    return fake;
  }

  /** The polls, which the workflow schedules on the waits task queue. */
  waitActivities(): Pick<PaymentActivities, 'awaitCustomer' | 'awaitProviderChange'> {
    return {
      awaitCustomer: (p, reference) => this.of(p).handle('awaitCustomer', [reference], async (fake) => {
        await fake.until(() => fake.token() !== null);
        return fake.token()!;
      }),
      awaitProviderChange: (p, reference, since) => this.of(p).handle('awaitProviderChange', [reference, since], async (fake) => {
        await fake.until(() => fake.truth.status !== since);
        return fake.truth;
      }),
    };
  }

  activities(): PaymentActivities & LocalPaymentActivities {
    return {
      ...this.waitActivities(),
      preparePayment: (p) => this.of(p).handle('preparePayment', [], (fake) => fake.prepared()),
      engageCustomer: (p, reference, token) => this.of(p).handle('engageCustomer', [reference, token], (fake) => fake.truth),
      finishAtProvider: (p, reference) => this.of(p).handle('finishAtProvider', [reference], () => undefined),
      observePayment: (p, reference) => this.of(p).handle('observePayment', [reference], (fake) => fake.truth),
      capturePayment: (p, reference, amount) => this.of(p).handle('capturePayment', [reference, amount], (fake) => fake.capture(amount)),
      cancelAtProvider: (p, reference) => this.of(p).handle('cancelAtProvider', [reference], (fake) => fake.cancel()),
      renewAuthorization: (p, reference) => this.of(p).handle('renewAuthorization', [reference], (fake) => fake.renew()),
      confirmCapture: (p, reference) => this.of(p).handle('confirmCapture', [reference], () => undefined),
      refundPayment: (p, reference, refund) => this.of(p).handle('refundPayment', [reference, refund], (fake) => fake.refund(refund.refund_id, refund.amount)),
      nudgePoll: (paymentId) => this.nudged(paymentId),
    };
  }

  /** The sink a wake's validator nudges through: recorded as the same `nudgePoll` call. */
  sinks(): InjectedSinks<PollNudgeSinks> {
    return { polls: { nudge: { fn: (_info, paymentId) => void this.nudged(paymentId), callDuringReplay: false } } };
  }

  private nudged(paymentId: string): Promise<boolean> {
    return this.of({ payment_id: paymentId }).handle('nudgePoll', [], () => true);
  }
}
