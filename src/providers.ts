/**
 * The composition root for providers: each configured provider becomes one module (adapter, rules,
 * webhook verification). The worker uses the adapters, the ingress the rules and verifiers.
 */
import type { ProviderRegistry } from '../activities/payment-activities';
import type { ProviderModule, TerminalLookup } from '../activities/provider';
import { seqrModule } from '../activities/seqr';
import { settleModule } from '../activities/settle';
import { tabbyModule } from '../activities/tabby';
import type { ProviderName } from '../workflows/payment';
import { loadPublicBaseUrl, loadSeqrConfig, loadSettleConfig, loadTabbyConfig, loadTimingConfig } from './config';

type Env = Record<string, string | undefined>;

/** `terminals` finds a till's registration for providers that register tills (SEQR). */
export function buildProviderRegistry(env: Env, terminals: (provider: ProviderName) => TerminalLookup): ProviderRegistry {
  const timing = loadTimingConfig(env);
  const publicBaseUrl = loadPublicBaseUrl(env);
  const registry = new Map<ProviderName, ProviderModule>();

  const settle = loadSettleConfig(env);
  if (settle) {
    registry.set('settle', settleModule({
      ...settle,
      requestTimeoutMs: timing.requestTimeoutMs,
      callbackUrl: `${publicBaseUrl}/v1/webhooks/settle`,
      traits: {
        poll_interval_ms: settle.pollIntervalMs,
        poll_heartbeat_timeout_ms: timing.pollHeartbeatTimeoutMs,
        renew_authorization_before_ms: settle.reauthBeforeMs,
        refund_window_ms: timing.refundWindowMs,
        customer_window_ms: null,
        confirms_capture: false,
      },
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
      traits: {
        poll_interval_ms: tabby.pollIntervalMs,
        poll_heartbeat_timeout_ms: timing.pollHeartbeatTimeoutMs,
        refund_window_ms: timing.refundWindowMs,
        customer_window_ms: null,
        confirms_capture: false,
      },
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
      traits: {
        poll_interval_ms: seqr.pollIntervalMs,
        poll_heartbeat_timeout_ms: timing.pollHeartbeatTimeoutMs,
        refund_window_ms: timing.refundWindowMs,
        customer_window_ms: seqr.windowMs,
      },
    }));
  }
  return registry;
}
