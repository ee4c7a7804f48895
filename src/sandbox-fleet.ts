/**
 * The built-in sandboxes as providers the service can be pointed at. Each plugin's sandbox runs with
 * fresh credentials and answers the provider's variables that configure the service for it —
 * exactly what an integrator would set for the real provider. `npm start` uses them for every
 * provider whose base URL is not set; `npm run sandboxes` runs them as a process of their own.
 */
import type { ProviderPlugin, RunningSandbox, SandboxOptions } from '../activities/provider-plugin';

export interface FleetSandbox extends RunningSandbox {
  provider: string;
}

/** `<NAME>_SANDBOX_PORT`, else the plugin's default port (0 picks a free one). */
export function sandboxPort(plugin: ProviderPlugin, env: Readonly<Record<string, string | undefined>>): number {
  const name = `${plugin.name.toUpperCase()}_SANDBOX_PORT`;
  const value = env[name];
  if (value === undefined) return plugin.sandbox.defaultPort;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port number (0 picks a free one)`);
  return port;
}

/** Starts the sandboxes of `plugins` in order, each on its own port; on a failure closes those already started. */
export async function startSandboxes(plugins: readonly ProviderPlugin[], options: (plugin: ProviderPlugin) => SandboxOptions): Promise<FleetSandbox[]> {
  const running: FleetSandbox[] = [];
  try {
    for (const plugin of plugins) running.push({ provider: plugin.name, ...(await plugin.sandbox.start(options(plugin))) });
    return running;
  } catch (error) {
    await Promise.all(running.map((sandbox) => sandbox.close()));
    throw error;
  }
}
