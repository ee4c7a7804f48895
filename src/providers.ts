/**
 * The list of provider plugins, and the composition root that turns it into what each process runs.
 * Everything else that names providers (configuration, stack, sandboxes, banner, OpenAPI, README)
 * derives from a plugin list; entry points take one, so a test can compose `[...defaultPlugins, x]`.
 * A new provider is one folder and one line here.
 */
import type { ConfiguredWorker, ProviderRegistry } from '../activities/payment-activities';
import { payseraPlugin } from '../activities/paysera';
import type { TerminalLookup } from '../activities/provider';
import type { ProviderIngress, ProviderPlugin } from '../activities/provider-plugin';
import { traitsOf } from '../activities/provider-traits';
import { seqrPlugin } from '../activities/seqr';
import { settlePlugin } from '../activities/settle';
import { tabbyPlugin } from '../activities/tabby';
import { ConfigError, loadPublicBaseUrl, loadTimingConfig } from './config';
import { loadProviderConfig } from './provider-config';

export const defaultPlugins: readonly ProviderPlugin[] = [settlePlugin, tabbyPlugin, seqrPlugin, payseraPlugin];

type Env = Readonly<Record<string, string | undefined>>;

/** The providers the ingress serves, by name: create rules, webhook verification, routes. */
export type IngressProviders = ReadonlyMap<string, ProviderIngress>;

/** `terminals` finds a till's registration for providers that register tills (SEQR). */
export function buildWorkerProviders(plugins: readonly ProviderPlugin[], env: Env, terminals: (provider: string) => TerminalLookup): ProviderRegistry {
  const timing = loadTimingConfig(env);
  const publicBaseUrl = loadPublicBaseUrl(env);
  const registry = new Map<string, ConfiguredWorker>();
  for (const plugin of uniquelyNamed(plugins)) {
    const config = loadProviderConfig(plugin, env, 'worker');
    if (!config) continue;
    const worker = plugin.worker(config, { requestTimeoutMs: timing.requestTimeoutMs, webhookUrl: webhookUrl(publicBaseUrl, plugin.name), terminals: terminals(plugin.name) });
    registry.set(plugin.name, { ...worker, traits: traitsOf(plugin.name, worker.adapter, timing) });
  }
  return registry;
}

/** From the ingress side's variables only: the ingress holds no worker credential. */
export function buildIngressProviders(plugins: readonly ProviderPlugin[], env: Env): IngressProviders {
  const providers = new Map<string, ProviderIngress>();
  for (const plugin of uniquelyNamed(plugins)) {
    const config = loadProviderConfig(plugin, env, 'ingress');
    if (config) providers.set(plugin.name, plugin.ingress(config));
  }
  return providers;
}

/** Where a provider's webhooks reach the ingress; the worker registers it with the provider. */
export const webhookUrl = (publicBaseUrl: string, provider: string) => `${publicBaseUrl}/v1/webhooks/${provider}`;

/** Every secret variable the plugins declare (for log scrubbing). */
export const secretVariables = (plugins: readonly ProviderPlugin[]) =>
  plugins.flatMap((plugin) => Object.entries(plugin.variables).filter(([, variable]) => variable.secret).map(([name]) => name));

function uniquelyNamed(plugins: readonly ProviderPlugin[]): readonly ProviderPlugin[] {
  const names = plugins.map((plugin) => plugin.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice) throw new ConfigError(`two provider plugins are named ${twice}`);
  return plugins;
}
