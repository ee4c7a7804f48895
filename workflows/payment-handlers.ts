/**
 * The payment's message handlers. Validators apply the pure rules of command-rules.ts (a refused
 * update writes no history); handlers record the intent and wait until the lifecycle has acted on it.
 */
import { allHandlersFinished, ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import { cancelRefusal, captureRefusal, openRefusal, refundRefusal, retryAsked, retryRefusal, waitRefusal, wakeNotNeeded, type Refusal, type RefundCommandInput } from './command-rules';
import { cancelSignal, cancelUpdate, captureUpdate, openUpdate, paymentQuery, providerSignal, refundUpdate, retryUpdate, waitForChangeUpdate, wakeUpdate } from './messages';
import { CANCELLABLE_STATES, type CreatePaymentRequest, type PaymentResource } from './payment';
import type { PaymentLifecycle } from './payment-lifecycle';
import { PATCHES } from './patches';
import type { ProviderSignal } from './provider-contract';
import { refund } from './refunds';

/** A refusal as the update's failure: the field at fault, or the payment as it is, for the POS. */
function refused(refusal: Refusal | null, payment: PaymentResource): void {
  if (refusal === null) return;
  throw ApplicationFailure.create({ type: refusal.type, message: refusal.message, nonRetryable: true, details: [refusal.field ?? payment] });
}

export function registerPaymentHandlers(lifecycle: PaymentLifecycle, request: CreatePaymentRequest): void {
  const { record, intents } = lifecycle;

  setHandler(paymentQuery, () => record.resource);

  // The long poll: tills waiting on the same version attach to one update (the ingress derives its id).
  setHandler(
    waitForChangeUpdate,
    async (knownVersion) => {
      await condition(() => record.resource.version > knownVersion || lifecycle.finishing);
      return record.resource;
    },
    { validator: (knownVersion: number) => refused(waitRefusal(knownVersion, record.resource.version), record.resource) },
  );

  setHandler(
    openUpdate,
    async () => {
      const created = !intents.opened;
      intents.opened = true;
      await condition(() => record.state !== 'pending');
      return { created, payment: record.resource };
    },
    { validator: (repeat: CreatePaymentRequest) => refused(openRefusal(request, repeat), record.resource) },
  );

  setHandler(cancelSignal, (body) => intents.requestCancel(body?.reason ?? null, record.state));
  setHandler(
    cancelUpdate,
    async ({ reason }) => {
      intents.requestCancel(reason, record.state);
      await condition(() => !CANCELLABLE_STATES.includes(record.state));
      return record.resource;
    },
    { validator: (_command: { reason: string | null }) => refused(cancelRefusal(record.resource), record.resource) },
  );

  setHandler(
    captureUpdate,
    async ({ amount }) => {
      intents.requestCapture(amount);
      const refusals = intents.refusedCaptures;
      await condition(() => record.state !== 'authorized' || intents.refusedCaptures !== refusals);
      return record.resource;
    },
    {
      validator: ({ amount }: { amount: number | null }) =>
        refused(captureRefusal(record.resource, { accepted: intents.capture, cancelling: intents.cancel !== null }, amount), record.resource),
    },
  );

  setHandler(refundUpdate, (command) => refund(lifecycle, command), {
    validator: (command: RefundCommandInput) => {
      const context = {
        existing: command.refund_id === null ? undefined : record.findRefund(command.refund_id),
        refundable: record.refundableAmount(),
        windowOpen: lifecycle.refundWindowOpen,
        refundsPartially: lifecycle.refundsPartially,
      };
      refused(refundRefusal(record.resource, context, command), record.resource);
    },
  });

  setHandler(
    retryUpdate,
    async () => {
      // The validator let in a retry that was asked for, or the repeat of one that was answered.
      if (retryAsked(record.resource)) intents.retry = true;
      await condition(() => !intents.retry || record.state !== 'awaiting_customer');
      return record.resource;
    },
    {
      validator: () =>
        refused(retryRefusal(record.resource, { windowRestartedByRetry: lifecycle.windowRestartedByRetry, cancelling: intents.cancel !== null }), record.resource),
    },
  );

  setHandler(providerSignal, (signal) => intents.receive(signal));

  let lastWakeAt = Number.NEGATIVE_INFINITY;
  const notNeeded = (why: string) => ApplicationFailure.create({ type: 'wake_not_needed', message: why, nonRetryable: true });
  setHandler(
    wakeUpdate,
    (signal) => {
      // Only "look again" wakes are spaced out; the customer's token is a different message.
      if (signal.kind === 'wake') lastWakeAt = new Date().getTime();
      intents.receive(signal);
    },
    {
      validator: (signal: ProviderSignal) => {
        const why = wakeNotNeeded(signal.kind, {
          state: record.state,
          customerKnown: intents.customerToken !== null,
          now: new Date().getTime(),
          lastWakeAt,
          wakeIntervalMs: lifecycle.traits?.poll_interval_ms ?? 0,
          readsEveryWakeWhenAuthorized: lifecycle.patches.startedWith(PATCHES.authorizedReadsEveryWake),
          settling: lifecycle.settling,
        });
        if (why !== null) throw notNeeded(why);
        // The running poll reads now, and its answer is what the payment acts on: the wake itself
        // need not be accepted, so it writes no history and takes no workflow task of its own.
        const poll = lifecycle.customerPoll;
        if (signal.kind === 'wake' && poll?.isRunning && lifecycle.patches.startedWith(PATCHES.wakesNudgeFromValidator)) {
          poll.nudgeFromValidator();
          throw notNeeded('the running poll reads the provider now');
        }
      },
    },
  );
}

/** Completes the payment's handlers: waiting tills get the final payment, running commands their answer. */
export async function allAnswered(lifecycle: PaymentLifecycle): Promise<void> {
  lifecycle.finishing = true;
  await condition(allHandlersFinished);
}
