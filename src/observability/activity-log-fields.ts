/**
 * Activity log lines about a payment (`Context.current().log`, routed to the process logger) carry
 * `payment_id`, `merchant_id` and `provider`, taken from the activity's first argument when it is a
 * payment (every payment activity receives one), so no activity has to repeat them.
 */
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

function paymentFields(argument: unknown): Record<string, unknown> {
  if (typeof argument !== 'object' || argument === null || !('payment_id' in argument)) return {};
  const { payment_id, merchant_id, provider } = argument as Record<string, unknown>;
  return { payment_id, merchant_id, provider };
}

export const paymentLogFields: ActivityInterceptorsFactory = () => {
  let fields: Record<string, unknown> = {};
  return {
    inbound: {
      execute: (input, next) => {
        fields = paymentFields(input.args[0]);
        return next(input);
      },
    },
    outbound: {
      getLogAttributes: (attributes, next) => next({ ...attributes, ...fields }),
    },
  };
};
