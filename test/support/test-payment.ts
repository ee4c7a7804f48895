/**
 * A running payment workflow as a workflow test drives it: the POS commands, the webhooks and the
 * long poll, exactly the messages the ingress sends, plus the fake provider's side of the payment.
 */
import { WorkflowUpdateFailedError, WorkflowUpdateStage, type WorkflowHandle, type WorkflowUpdateHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  cancelSignal,
  cancelUpdate,
  captureUpdate,
  paymentQuery,
  providerSignal,
  refundUpdate,
  retryUpdate,
  waitForChangeUpdate,
  wakeUpdate,
} from '../../workflows/messages';
import type { PaymentResource, RefundResult } from '../../workflows/payment';
import type { ProviderSignal } from '../../workflows/provider-contract';
import type { FakePayment } from './fake-provider';

/** A refused command: its machine code and the payment it was refused with (when the workflow sent one). */
export interface Refusal {
  code: string | undefined;
  message: string;
  payment: PaymentResource | undefined;
}

/** The refusal a command failed with; rethrows any other error. */
export function refusalOf(error: unknown): Refusal {
  const cause = error instanceof WorkflowUpdateFailedError ? error.cause : error;
  if (!(cause instanceof ApplicationFailure)) throw error;
  return { code: cause.type ?? undefined, message: cause.message, payment: cause.details?.[0] as PaymentResource | undefined };
}

/** The refusal `command` ends with; fails the test when the command succeeds or fails otherwise. */
export async function refusal(command: Promise<unknown>): Promise<Refusal> {
  try {
    await command;
  } catch (error) {
    return refusalOf(error);
  }
  throw new Error('the command was expected to be refused, and it was not');
}

export class TestPayment {
  constructor(readonly handle: WorkflowHandle, readonly provider: FakePayment) {}

  get id(): string {
    return this.handle.workflowId;
  }

  read(): Promise<PaymentResource> {
    return this.handle.query(paymentQuery);
  }

  /** The long poll: the payment once its version passes `knownVersion`. */
  waitForChange(knownVersion: number): Promise<PaymentResource> {
    return this.handle.executeUpdate(waitForChangeUpdate, { args: [knownVersion] });
  }

  /** Starts the long poll and resolves once the workflow accepted it: its answer then tells what changed after. */
  startWaitingForChange(knownVersion: number): Promise<WorkflowUpdateHandle<PaymentResource>> {
    return this.handle.startUpdate(waitForChangeUpdate, { args: [knownVersion], waitForStage: WorkflowUpdateStage.ACCEPTED });
  }

  /** Follows the long poll until `holds`; never sleeps, so it costs exactly the payment's changes. */
  async waitFor(holds: (payment: PaymentResource) => boolean): Promise<PaymentResource> {
    let payment = await this.read();
    while (!holds(payment)) payment = await this.waitForChange(payment.version);
    return payment;
  }

  waitForState(state: PaymentResource['state']): Promise<PaymentResource> {
    return this.waitFor((payment) => payment.state === state);
  }

  cancel(reason: string | null = null): Promise<PaymentResource> {
    return this.handle.executeUpdate(cancelUpdate, { args: [{ reason }] });
  }

  /** The operator's cancel (Web UI or CLI): a signal, answered by nobody. */
  operatorCancel(reason: string): Promise<void> {
    return this.handle.signal(cancelSignal, { reason });
  }

  capture(amount: number | null = null): Promise<PaymentResource> {
    return this.handle.executeUpdate(captureUpdate, { args: [{ amount }] });
  }

  refund(amount: number, refundId: string | null = null): Promise<RefundResult> {
    return this.handle.executeUpdate(refundUpdate, { args: [{ amount, refund_id: refundId, reason: null }] });
  }

  retry(): Promise<PaymentResource> {
    return this.handle.executeUpdate(retryUpdate);
  }

  /** A verified webhook as the ingress delivers it first: the `wake` update, refused when not needed. */
  wake(signal: ProviderSignal = { kind: 'wake', event: 'test' }): Promise<void> {
    return this.handle.executeUpdate(wakeUpdate, { args: [signal] });
  }

  /** The durable fallback of a webhook, when no worker answers the update. */
  signalProvider(signal: ProviderSignal): Promise<void> {
    return this.handle.signal(providerSignal, signal);
  }

  /**
   * The customer makes the provider charge exist, the way the provider's set-up expects (a token
   * webhook, a check-in found by polling, or nothing when the charge came with the QR); resolves
   * once the workflow polls that charge for changes.
   */
  async customerEngages(token = 'customer-token'): Promise<void> {
    if (this.provider.setup === 'token') await this.wake({ kind: 'customer_token', event: 'scan', token });
    if (this.provider.setup === 'poll-customer') this.provider.customerArrives(token);
    await this.provider.called('awaitProviderChange');
  }

  result(): Promise<PaymentResource> {
    return this.handle.result() as Promise<PaymentResource>;
  }
}
