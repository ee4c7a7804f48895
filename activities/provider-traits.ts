/**
 * The one place a provider's traits come from: what its adapter implements, plus the worker's
 * timings. A trait can therefore never disagree with the adapter (a provider that cannot renew
 * has no renew method, and so no renewal trait). The shape is recorded in workflow histories:
 * it must not change.
 */
import type { ProviderTraits } from '../workflows/provider-contract';
import type { ProviderAdapter } from './provider';

export interface TraitTimings {
  pollHeartbeatTimeoutMs: number;
  refundWindowMs: number;
}

export function traitsOf(provider: string, adapter: ProviderAdapter, timings: TraitTimings): ProviderTraits {
  if ((adapter.renewAuthorization === undefined) !== (adapter.renewBeforeMs === undefined)) {
    throw new Error(`${provider}: an adapter that renews authorizations says how long before they lapse (renewBeforeMs), and only then`);
  }
  return {
    poll_interval_ms: adapter.pollIntervalMs,
    poll_heartbeat_timeout_ms: timings.pollHeartbeatTimeoutMs,
    refund_window_ms: timings.refundWindowMs,
    renew_authorization_before_ms: adapter.renewBeforeMs ?? null,
    customer_window_ms: adapter.customerWindowMs ?? null,
    confirms_capture: adapter.confirmCapture !== undefined,
    polls_for_customer: adapter.findCustomer !== undefined,
    refunds_partially: adapter.refundsWholeOnly !== true,
    finishes_at_provider: adapter.finish !== undefined,
  };
}
