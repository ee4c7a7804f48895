/**
 * One workflow per payment, from the QR code to the end of the refund window.
 *
 * The shape: prepare (QR) → customer phase (poll raced against webhooks, cancel and the timeout) →
 * authorized (manual mode: capture, cancel or renew) → paid (refunds until the window closes).
 * Waiting costs O(1) history events: the poll is one heartbeating activity that returns only when
 * the provider's status changes, so a customer who takes five minutes costs what one who takes
 * five seconds does. Every decision is taken on the provider's own answer, never on a webhook alone.
 */
import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  CancellationScope,
  condition,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  uuid4,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import { canonicalJson } from './canonical-json';
import { describeCapture, refundIdConflict, sameCapture } from './command-rules';
import { cancelSignal, cancelUpdate, captureUpdate, openUpdate, paymentQuery, providerSignal, refundUpdate, retryUpdate, waitForChangeUpdate, wakeUpdate } from './messages';
import { formatMinorUnits } from './money';
import {
  CANCELLABLE_STATES,
  ERROR_CODES,
  PAID_STATES,
  REFUNDABLE_STATES,
  type Failure,
  type PaymentInput,
  type PaymentResource,
} from './payment';
import { PaymentRecord } from './payment-record';
import type { LocalPaymentActivities, PaymentActivities, ProviderObservation, ProviderPaymentContext, ProviderSignal, ProviderTraits } from './provider-contract';
import { waitsTaskQueue } from './task-queues';
import { ID_PATTERN } from './ids';

/** Provider calls: short, retried with backoff; 4xx-like answers come back as non-retryable failures. */
const PROVIDER_CALL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 6 },
};
/** Calls that settle money already promised (capture, cancel, refund) keep trying until the provider answers. */
const SETTLING_CALL: ActivityOptions = {
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '30s' },
};

/**
 * Behaviour changes made after payments were already running, by `patched()` id. A payment started
 * before a change replays its old path; one started after takes the new one (see README, "Deploys").
 */
const PATCHES = {
  /** Polls run on the waits task queue instead of sharing the lifecycle's activity slots. */
  pollsOnWaitsQueue: 'polls-on-waits-task-queue',
  /** A webhook nudges the running poll to read now instead of cancelling and restarting it. */
  wakesNudgeThePoll: 'wakes-nudge-the-poll',
} as const;

const local = proxyLocalActivities<LocalPaymentActivities>({ startToCloseTimeout: '5s', retry: { maximumAttempts: 1 } });

function activities(summary: string, options: ActivityOptions): PaymentActivities {
  return proxyActivities<PaymentActivities>({ ...options, summary });
}

function invalidState(message: string, payment: PaymentResource): ApplicationFailure {
  return ApplicationFailure.create({ type: ERROR_CODES.invalidState, message, nonRetryable: true, details: [payment] });
}

function idempotencyConflict(message: string, payment: PaymentResource): ApplicationFailure {
  return ApplicationFailure.create({ type: ERROR_CODES.idempotencyConflict, message, nonRetryable: true, details: [payment] });
}

/** The provider's statement, or `provider_unavailable` when retries ran out without one. */
function failureOf(error: unknown): Failure {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (cause instanceof ApplicationFailure && cause.nonRetryable) {
    return { code: cause.type ?? 'provider_error', message: cause.message };
  }
  return { code: 'provider_unavailable', message: cause instanceof Error ? cause.message : 'the provider did not answer' };
}

/** A timer that only raises a flag when it fires; cancelled once nobody needs it. */
function flagTimer(ms: number, summary: string): { fired: () => boolean; cancel: () => void } {
  const scope = new CancellationScope();
  let fired = false;
  void quietly(scope.run(() => sleep(Math.max(ms, 0), { summary }))).then((result) => {
    if (result !== null) fired = true;
  });
  return { fired: () => fired, cancel: () => scope.cancel() };
}

/** Resolves when `run` is cancelled instead of rejecting, so races can drop their losers quietly. */
function quietly<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((error: unknown) => {
    if (isCancellation(error)) return null;
    throw error;
  });
}

type RefundCommandInput = { amount: number; refund_id: string | null; reason: string | null };

export async function paymentWorkflow(input: PaymentInput): Promise<PaymentResource> {
  const record = new PaymentRecord(input, new Date());
  const payment: ProviderPaymentContext = {
    payment_id: input.payment_id,
    merchant_id: input.merchant_id,
    provider: input.request.provider,
    request: input.request,
  };
  const money = (amount: number) => `${formatMinorUnits(amount, input.request.currency)} ${input.request.currency}`;

  let authorizationExpiresAt: string | null = null;
  let confirmsCapture = false;
  let refundsPartially = true;
  let providerStatus: ProviderObservation['status'] | null = null;
  let opened = false;
  let refundWindowOpen = true;
  /** The cashier window running now was started by a retry (and has not lapsed since). */
  let windowRestartedByRetry = false;
  const inbox = {
    cancel: null as { reason: string | null } | null,
    capture: null as { amount: number | null } | null,
    customerToken: null as string | null,
    retry: false,
    wakeups: 0,
  };

  setHandler(paymentQuery, () => record.resource);

  /** Set when the workflow is about to complete: waiting tills get the final payment at once. */
  let finishing = false;
  setHandler(
    waitForChangeUpdate,
    async (knownVersion) => {
      await condition(() => record.resource.version > knownVersion || finishing);
      return record.resource;
    },
    {
      // A version the payment has not reached yet would be waited on by nobody: refuse it (no history).
      validator: (knownVersion: number) => {
        const { version } = record.resource;
        if (!Number.isSafeInteger(knownVersion) || knownVersion < 0 || knownVersion > version) {
          throw ApplicationFailure.create({
            type: ERROR_CODES.validationFailed,
            message: `wait_for_version must be between 0 and the payment's version ${version}`,
            nonRetryable: true,
            details: [{ field: 'wait_for_version', message: `must be between 0 and the payment's version ${version}` }],
          });
        }
      },
    },
  );

  setHandler(
    openUpdate,
    async () => {
      const created = !opened;
      opened = true;
      await condition(() => record.state !== 'pending');
      return { created, payment: record.resource };
    },
    {
      validator: (request) => {
        if (canonicalJson(request) !== canonicalJson(input.request)) {
          throw idempotencyConflict(
            `pos_id ${input.request.pos_id} / pos_tid ${input.request.pos_tid} already identify a payment with a different request`,
            record.resource,
          );
        }
      },
    },
  );

  const requestCancel = (reason: string | null) => {
    if (!inbox.cancel && CANCELLABLE_STATES.includes(record.state)) inbox.cancel = { reason };
  };
  setHandler(cancelSignal, (body) => requestCancel(body?.reason ?? null));
  setHandler(
    cancelUpdate,
    async ({ reason }) => {
      requestCancel(reason);
      await condition(() => !CANCELLABLE_STATES.includes(record.state));
      return record.resource;
    },
    {
      validator: (_command) => {
        if (!CANCELLABLE_STATES.includes(record.state) && record.state !== 'cancelled') {
          throw invalidState(`a payment in state ${record.state} cannot be cancelled`, record.resource);
        }
      },
    },
  );

  setHandler(
    captureUpdate,
    async ({ amount }) => {
      inbox.capture ??= { amount };
      await condition(() => record.state !== 'authorized');
      return record.resource;
    },
    {
      /**
       * One capture per payment. Its very repeat shares its outcome (the handler waits for it, or
       * reads it); a capture of another amount is another command, refused instead of being merged
       * into the first. A capture is refused too once a cancel is releasing the authorization.
       */
      validator: ({ amount }: { amount: number | null }) => {
        const { resource } = record;
        if (resource.capture_mode !== 'manual') {
          throw invalidState('this payment captures automatically (capture_mode auto)', resource);
        }
        if (inbox.capture !== null) {
          if (sameCapture(inbox.capture, { amount })) return;
          const first = describeCapture(inbox.capture.amount, resource.currency);
          throw invalidState(`${first} was already accepted; ${describeCapture(amount, resource.currency)} is a different command`, resource);
        }
        if (resource.state !== 'authorized') throw invalidState(`a payment in state ${resource.state} cannot be captured`, resource);
        if (inbox.cancel !== null) throw invalidState('the payment is being cancelled: its authorization is being released', resource);
        if (amount !== null && (!Number.isSafeInteger(amount) || amount <= 0 || amount > resource.authorized_amount)) {
          throw ApplicationFailure.create({
            type: ERROR_CODES.validationFailed,
            message: `amount must be an integer between 1 and the authorized ${resource.authorized_amount}`,
            nonRetryable: true,
            details: [{ field: 'amount', message: `must be between 1 and ${resource.authorized_amount}` }],
          });
        }
      },
    },
  );

  setHandler(
    refundUpdate,
    async ({ amount, refund_id, reason }) => {
      const refundId = refund_id ?? uuid4();
      // Only the very repeat of a refund gets here: the validator refuses its id with another amount.
      const existing = record.findRefund(refundId);
      if (existing) {
        await condition(() => existing.state !== 'pending');
        return { refund: existing, payment: record.resource };
      }
      // Re-checked here, not only in the validator: concurrent refunds reserve their amount in order.
      if (amount > record.refundableAmount()) {
        throw ApplicationFailure.create({
          type: ERROR_CODES.refundExceedsCaptured,
          message: `refund of ${money(amount)} exceeds the ${money(record.refundableAmount())} left to refund`,
          nonRetryable: true,
          details: [record.resource],
        });
      }
      record.addRefund({ refund_id: refundId, amount, state: 'pending', reason, created_at: new Date().toISOString(), failure: null });
      let failure: Failure | null = null;
      try {
        await activities(`refund ${money(amount)}`, SETTLING_CALL).refundPayment(payment, reference(), { refund_id: refundId, amount });
      } catch (error) {
        failure = failureOf(error);
      }
      const refund = record.settleRefund(refundId, { failure });
      return { refund, payment: record.resource };
    },
    {
      validator: ({ amount, refund_id }: RefundCommandInput) => {
        const { resource } = record;
        const existing = refund_id === null ? undefined : record.findRefund(refund_id);
        if (existing) {
          const conflict = refundIdConflict(existing, amount, resource.currency);
          if (conflict !== null) throw idempotencyConflict(conflict, resource);
          return;
        }
        if (!REFUNDABLE_STATES.includes(resource.state) || !refundWindowOpen) {
          throw invalidState(`a payment in state ${resource.state} cannot be refunded`, resource);
        }
        if (refund_id !== null && !ID_PATTERN.test(refund_id)) {
          throw ApplicationFailure.create({
            type: ERROR_CODES.validationFailed,
            message: 'refund_id must match ^[a-zA-Z0-9_.-]{1,64}$',
            nonRetryable: true,
            details: [{ field: 'refund_id', message: 'must match ^[a-zA-Z0-9_.-]{1,64}$' }],
          });
        }
        if (amount > record.refundableAmount()) {
          throw ApplicationFailure.create({
            type: ERROR_CODES.refundExceedsCaptured,
            message: `refund of ${money(amount)} exceeds the ${money(record.refundableAmount())} left to refund`,
            nonRetryable: true,
            details: [resource],
          });
        }
        if (!refundsPartially && amount !== resource.captured_amount) {
          throw ApplicationFailure.create({
            type: ERROR_CODES.partialRefundUnsupported,
            message: `${resource.provider} can only refund the whole ${money(resource.captured_amount)} at once`,
            nonRetryable: true,
            details: [resource],
          });
        }
      },
    },
  );

  /**
   * Retry answers the question a lapsed cashier window asks (`action_required = retry_or_cancel`) by
   * starting one new window. Its repeat, while that new window runs and has not lapsed in turn,
   * answers with the payment and starts nothing. A retry nobody was asked for is `invalid_state`.
   */
  const retryAsked = () => record.state === 'awaiting_customer' && record.resource.action_required === 'retry_or_cancel';
  const retryRepeated = () => record.state === 'awaiting_customer' && record.resource.action_required === null && windowRestartedByRetry;
  setHandler(
    retryUpdate,
    async () => {
      // The validator let in a retry that was asked for, or the repeat of one that was answered.
      if (retryAsked()) inbox.retry = true;
      await condition(() => !inbox.retry || record.state !== 'awaiting_customer');
      return record.resource;
    },
    {
      validator: () => {
        if (!retryAsked() && !retryRepeated()) {
          throw invalidState(`retry needs a payment awaiting the customer with action_required retry_or_cancel (it is ${record.state})`, record.resource);
        }
        if (inbox.cancel !== null) throw invalidState('the payment is being cancelled: there is no window to retry', record.resource);
      },
    },
  );

  /** The customer's token (kept once) and one more reason to look at the provider again. */
  const receive = (signal: ProviderSignal) => {
    if (signal.kind === 'customer_token' && inbox.customerToken === null) inbox.customerToken = signal.token;
    inbox.wakeups += 1;
  };
  setHandler(providerSignal, receive);

  /** Poll cadence once known (after set-up); wakes closer together than this are coalesced. */
  let wakeIntervalMs = 0;
  let lastWakeAt = Number.NEGATIVE_INFINITY;
  setHandler(
    wakeUpdate,
    (signal) => {
      // Only "look again" wakes are spaced out; the customer's token is a different message.
      if (signal.kind === 'wake') lastWakeAt = new Date().getTime();
      receive(signal);
    },
    {
      validator: (signal: ProviderSignal) => {
        const why = wakeNotNeeded(signal);
        if (why !== null) throw ApplicationFailure.create({ type: 'wake_not_needed', message: why, nonRetryable: true });
      },
    },
  );
  /** Why a wake would change nothing (so it is refused and leaves no trace), or null when it is needed. */
  const wakeNotNeeded = (signal: ProviderSignal): string | null => {
    if (record.state !== 'awaiting_customer' && record.state !== 'authorized') return `the payment is ${record.state}: nothing waits on the provider`;
    if (signal.kind === 'customer_token') return inbox.customerToken === null ? null : 'the customer is already known';
    if (new Date().getTime() - lastWakeAt < wakeIntervalMs) return 'woken less than a poll interval ago';
    return null;
  };

  /** Moves the payment to whatever the provider says (and captures at once in auto mode). */
  const follow = async (observation: ProviderObservation): Promise<void> => {
    providerStatus = observation.status;
    authorizationExpiresAt = observation.authorization_expires_at;
    record.absorb(observation);
    switch (observation.status) {
      case 'pending':
        if (record.state !== 'awaiting_customer') record.transition('awaiting_customer', observation.detail);
        return;
      case 'authorized':
        if (record.state !== 'authorized') record.transition('authorized', `${money(observation.authorized_amount)} authorized (${observation.detail})`);
        if (record.resource.capture_mode === 'auto' && !inbox.cancel) await capture(null);
        return;
      case 'captured':
        if (PAID_STATES.includes(record.state)) return;
        record.transition('captured', `${money(observation.captured_amount)} captured (${observation.detail})`);
        if (confirmsCapture) await confirmCapture();
        return;
      case 'cancelled':
      case 'rejected':
      case 'expired':
      case 'failed':
        record.resource.qr = null;
        record.transition(observation.status, observation.failure?.message ?? observation.detail);
        return;
    }
  };

  /** The receipt confirmation never changes the money: a failure is only noted on the timeline. */
  const confirmCapture = async (): Promise<void> => {
    try {
      await activities('confirm the payment to the provider', PROVIDER_CALL).confirmCapture(payment, reference());
    } catch (error) {
      record.transition(record.state, `payment confirmation not delivered: ${failureOf(error).message}`);
    }
  };

  const capture = async (amount: number | null): Promise<void> => {
    const label = amount === null ? 'capture all' : `capture ${money(amount)}`;
    try {
      await follow(await activities(label, SETTLING_CALL).capturePayment(payment, reference(), amount));
    } catch (error) {
      // The capture was refused: the provider's current view decides what the payment is now.
      record.transition(record.state, `capture refused: ${failureOf(error).message}`);
      await follow(await activities('re-read after refused capture', PROVIDER_CALL).observePayment(payment, reference()));
    }
  };

  /** Cancels at the provider; a `cancelled` answer becomes `endState`, anything else is the truth. */
  const cancelCharge = async (endState: 'cancelled' | 'expired', detail: string): Promise<void> => {
    if (providerStatus === null) {
      record.resource.qr = null;
      record.transition(endState, detail);
      return;
    }
    const observation = await activities(`cancel (${endState})`, SETTLING_CALL).cancelAtProvider(payment, reference());
    if (observation.status === 'cancelled') {
      record.absorb(observation);
      record.resource.qr = null;
      record.transition(endState, detail);
    } else {
      await follow(observation);
    }
  };

  const reference = () => record.resource.provider_reference;

  const finish = async (): Promise<PaymentResource> => {
    finishing = true;
    await condition(allHandlersFinished);
    return record.resource;
  };

  // 1. Prepare: what the customer is shown, and the provider charge when it needs no customer token.
  let providerTraits: ProviderTraits;
  try {
    const prepared = await activities('prepare payment', PROVIDER_CALL).preparePayment(payment);
    if (prepared.kind === 'declined') {
      await follow(prepared.observation);
      return finish();
    }
    providerTraits = prepared.traits;
    wakeIntervalMs = prepared.traits.poll_interval_ms;
    confirmsCapture = prepared.traits.confirms_capture ?? false;
    refundsPartially = prepared.traits.refunds_partially ?? true;
    record.showQr(prepared.qr_content, prepared.reference);
    if (prepared.observation) await follow(prepared.observation);
  } catch (error) {
    record.fail(failureOf(error));
    return finish();
  }

  // 2. Customer phase: one timer for the whole wait, one poll per provider status, and (for
  // providers that work in windows) a cashier window that asks to retry or cancel without stopping
  // the poll: a payment that completes while the cashier decides must still be seen.
  const timeoutMs = Date.parse(record.resource.expires_at) - new Date().getTime();
  const timeout = flagTimer(timeoutMs, 'customer timeout');
  const windowMs = providerTraits.customer_window_ms ?? null;
  let cashierWindow = windowMs === null ? null : flagTimer(windowMs, 'cashier window');
  // One poll at a time: for the customer's arrival before a charge exists, for status changes after.
  type PollOutcome = { kind: 'observation'; observation: ProviderObservation } | { kind: 'customer'; token: string };
  let poll: { scope: CancellationScope; result: Promise<PollOutcome | null> } | null = null;
  const stopPoll = () => {
    poll?.scope.cancel();
    poll = null;
  };
  /**
   * Wakes are coalesced to one nudge per poll interval: a burst of webhooks costs one marker and
   * at most one early read, and the poll keeps its slot (it is never cancelled and restarted).
   */
  let lastNudgeAt = Number.NEGATIVE_INFINITY;
  const nudgePoll = async (): Promise<void> => {
    const now = new Date().getTime();
    if (poll === null || now - lastNudgeAt < providerTraits.poll_interval_ms) return;
    lastNudgeAt = now;
    await local.nudgePoll(input.payment_id);
  };
  const tokenWaiting = () => providerStatus === null && inbox.customerToken !== null;
  const windowLapsed = () => cashierWindow !== null && cashierWindow.fired() && record.resource.action_required === null;

  while (record.state === 'awaiting_customer') {
    if (inbox.cancel) {
      stopPoll();
      await cancelCharge('cancelled', inbox.cancel.reason ?? 'cancelled by the POS');
      break;
    }
    if (timeout.fired()) {
      stopPoll();
      await cancelCharge('expired', 'the customer did not complete in time');
      break;
    }
    if (tokenWaiting() && inbox.customerToken !== null) {
      try {
        const engage = activities('create provider charge for the customer', PROVIDER_CALL);
        await follow(await engage.engageCustomer(payment, reference(), inbox.customerToken));
      } catch (error) {
        record.fail(failureOf(error));
      }
      continue;
    }
    if (windowLapsed() && windowMs !== null) {
      windowRestartedByRetry = false;
      record.requireAction('retry_or_cancel', `no payment within ${windowMs / 1000} s: the cashier may retry or cancel`);
    }
    if (inbox.retry) {
      inbox.retry = false;
      windowRestartedByRetry = true;
      cashierWindow?.cancel();
      cashierWindow = windowMs === null ? null : flagTimer(windowMs, 'cashier window');
      record.clearAction('the cashier asked the customer to try again');
    }
    const awaitingCustomer = providerStatus === null && inbox.customerToken === null && (providerTraits.polls_for_customer ?? false);
    if ((providerStatus !== null || awaitingCustomer) && poll === null) {
      const scope = new CancellationScope();
      const since = providerStatus;
      const poller = proxyActivities<PaymentActivities>({
        summary: since === null ? 'poll provider until a customer arrives' : 'poll provider until its status changes',
        ...(patched(PATCHES.pollsOnWaitsQueue) ? { taskQueue: waitsTaskQueue(workflowInfo().taskQueue) } : {}),
        startToCloseTimeout: Math.max(timeoutMs, 0) + 60_000,
        heartbeatTimeout: providerTraits.poll_heartbeat_timeout_ms,
        retry: { initialInterval: '1s', maximumInterval: '10s' },
      });
      const run: () => Promise<PollOutcome> = since === null
        ? async () => ({ kind: 'customer', token: await poller.awaitCustomer(payment, reference()) })
        : async () => ({ kind: 'observation', observation: await poller.awaitProviderChange(payment, reference(), since) });
      poll = { scope, result: quietly(scope.run(run)) };
    }
    const wakeupsSeen = inbox.wakeups;
    const eventScope = new CancellationScope();
    const event = quietly(eventScope.run(() =>
      condition(() => inbox.cancel !== null || timeout.fired() || inbox.wakeups !== wakeupsSeen || inbox.retry || windowLapsed() || tokenWaiting()),
    )).then(() => null);
    const outcome = await Promise.race(poll ? [poll.result, event] : [event]);
    eventScope.cancel();
    if (outcome?.kind === 'observation') {
      poll = null;
      await follow(outcome.observation);
    } else if (outcome?.kind === 'customer') {
      poll = null;
      inbox.customerToken ??= outcome.token;
    } else if (inbox.wakeups !== wakeupsSeen) {
      // A webhook says something changed: the poll should read now, not at its next tick.
      if (patched(PATCHES.wakesNudgeThePoll)) {
        await nudgePoll();
      } else {
        stopPoll();
      }
    }
  }
  stopPoll();
  timeout.cancel();
  cashierWindow?.cancel();

  // 3. Authorized and held (manual mode, or an auto capture the cancel overtook): capture, cancel or renew.
  while (record.state === 'authorized') {
    if (inbox.cancel) {
      await cancelCharge('cancelled', inbox.cancel.reason ?? 'authorization released');
      break;
    }
    if (inbox.capture) {
      await capture(inbox.capture.amount);
      continue;
    }
    const wakeupsSeen = inbox.wakeups;
    const woken = () => inbox.cancel !== null || inbox.capture !== null || inbox.wakeups !== wakeupsSeen;
    if (providerTraits.renew_authorization_before_ms !== null && authorizationExpiresAt !== null) {
      const renewInMs = Date.parse(authorizationExpiresAt) - providerTraits.renew_authorization_before_ms - new Date().getTime();
      if (!(await condition(woken, Math.max(renewInMs, 0), { summary: 'renew authorization before it lapses' }))) {
        await follow(await activities('renew authorization', SETTLING_CALL).renewAuthorization(payment, reference()));
        continue;
      }
    } else {
      await condition(woken);
    }
    if (!inbox.cancel && !inbox.capture) {
      await follow(await activities('re-read after webhook', PROVIDER_CALL).observePayment(payment, reference()));
    }
  }

  // The payment is decided: a provider that keeps something open for it (a spot) hears so now.
  if (providerTraits.finishes_at_provider ?? false) {
    try {
      await activities('tell the provider the payment is over', PROVIDER_CALL).finishAtProvider(payment, reference());
    } catch (error) {
      record.transition(record.state, `could not close at the provider: ${failureOf(error).message}`);
    }
  }

  // 4. Paid: stay open for refunds until the window closes, then complete with the final resource.
  if (PAID_STATES.includes(record.state)) {
    await sleep(providerTraits.refund_window_ms, { summary: 'refund window' });
    refundWindowOpen = false;
  }
  return finish();
}
