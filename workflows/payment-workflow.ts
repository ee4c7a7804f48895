/**
 * One workflow per payment, from the QR code to the end of the refund window:
 * prepare (QR) → customer (poll raced against webhooks, cancel and the timeout) → authorized (manual
 * mode: capture, cancel or renew) → paid (refunds until the window closes).
 *
 * Handlers record what the POS and the provider's webhooks ask (payment-handlers.ts); the phases act
 * on it, one provider call at a time, and every decision is taken on the provider's own answer, never
 * on a webhook alone. The resource has one writer, `PaymentRecord`.
 */
import { sleep } from '@temporalio/workflow';
import { authorizedPhase } from './authorized-phase';
import { CustomerPhase } from './customer-phase';
import { PAID_STATES, type PaymentInput, type PaymentResource } from './payment';
import { allAnswered, registerPaymentHandlers } from './payment-handlers';
import { PaymentLifecycle } from './payment-lifecycle';

export async function paymentWorkflow(input: PaymentInput): Promise<PaymentResource> {
  const lifecycle = new PaymentLifecycle(input);
  const { record } = lifecycle;
  registerPaymentHandlers(lifecycle, input.request);

  if (await lifecycle.prepare() && lifecycle.traits !== null) {
    const { traits } = lifecycle;
    const customer = new CustomerPhase(lifecycle, traits);
    await customer.run();
    // From here to the next command there is no `await`: the recorded order of commands depends on it.
    customer.stop();
    if (record.state === 'authorized') await authorizedPhase(lifecycle, traits);
    if (traits.finishes_at_provider ?? false) await lifecycle.finishAtProvider();
    if (PAID_STATES.includes(record.state)) {
      // Paid: the payment stays open for refunds until the window closes.
      await sleep(traits.refund_window_ms, { summary: 'refund window' });
      lifecycle.refundWindowOpen = false;
    }
  }
  await allAnswered(lifecycle);
  return record.resource;
}
