/**
 * The composition root for providers: each configured provider becomes one module (adapter, rules,
 * webhook verification). The worker uses the adapters, the ingress the rules and verifiers.
 */
import type { ProviderRegistry } from '../activities/payment-activities';
import type { ProviderModule, TerminalLookup } from '../activities/provider';
import { payseraModule } from '../activities/paysera';
import { seqrModule } from '../activities/seqr';
import { settleModule } from '../activities/settle';
import { tabbyModule } from '../activities/tabby';
import type { ProviderName } from '../workflows/payment';
import type { ProviderTraits } from '../workflows/provider-contract';
import { loadPayseraConfig, loadPublicBaseUrl, loadSeqrConfig, loadSettleConfig, loadTabbyConfig, loadTimingConfig } from './config';

type Env = Record<string, string | undefined>;

/** `terminals` finds a till's registration for providers that register tills (SEQR). */
export function buildProviderRegistry(env: Env, terminals: (provider: ProviderName) => TerminalLookup): ProviderRegistry {
  const timing = loadTimingConfig(env);
  const publicBaseUrl = loadPublicBaseUrl(env);
  const registry = new Map<ProviderName, ProviderModule>();
  /** Traits of a provider that polls at `pollIntervalMs` and has none of the special behaviours. */
  const traits = (pollIntervalMs: number): ProviderTraits => ({
    poll_interval_ms: pollIntervalMs,
    poll_heartbeat_timeout_ms: timing.pollHeartbeatTimeoutMs,
    refund_window_ms: timing.refundWindowMs,
    renew_authorization_before_ms: null,
    customer_window_ms: null,
    confirms_capture: false,
    polls_for_customer: false,
    refunds_partially: true,
    finishes_at_provider: false,
  });

  const settle = loadSettleConfig(env);
  if (settle) {
    registry.set('settle', settleModule({
      ...settle,
      requestTimeoutMs: timing.requestTimeoutMs,
      callbackUrl: `${publicBaseUrl}/v1/webhooks/settle`,
      traits: { ...traits(settle.pollIntervalMs), renew_authorization_before_ms: settle.reauthBeforeMs },
    }));
  }
  const tabby = loadTabbyConfig(env);
  if (tabby) {
    registry.set('tabby', tabbyModule({
      baseUrl: tabby.baseUrl,
      secretKey: tabby.secretKey,
      merchantCode: tabby.merchantCode,
      requestTimeoutMs: timing.requestTimeoutMs,
      webhook: { header: tabby.webhookHeader, value: tabby.webhookSecret },
      minTimeoutSeconds: tabby.minTimeoutSeconds,
      traits: traits(tabby.pollIntervalMs),
    }));
  }
  const seqr = loadSeqrConfig(env);
  if (seqr) {
    registry.set('seqr', seqrModule({
      endpoint: seqr.endpoint,
      requestTimeoutMs: timing.requestTimeoutMs,
      clientId: seqr.clientId,
      reseller: seqr.reseller,
      terminalSecret: seqr.terminalSecret,
      notificationUrl: `${publicBaseUrl}/v1/webhooks/seqr`,
      lookup: terminals('seqr'),
      traits: { ...traits(seqr.pollIntervalMs), customer_window_ms: seqr.windowMs },
    }));
  }
  const paysera = loadPayseraConfig(env);
  if (paysera) {
    registry.set('paysera', payseraModule({
      ...paysera,
      requestTimeoutMs: timing.requestTimeoutMs,
      callbackUrl: `${publicBaseUrl}/v1/webhooks/paysera`,
      traits: traits(paysera.pollIntervalMs),
    }));
  }
  return registry;
}
