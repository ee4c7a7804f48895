/**
 * A provider plugin's variables, read for one process. Only the variables declared for that side
 * (or both) are looked up at all: the ingress never reads a worker secret, whatever its environment
 * holds. A provider is on when its `enabledBy` variable is set; then its other variables of the
 * side are checked like every other configuration (a bad one names itself in a ConfigError).
 */
import { z } from 'zod';
import type { ProviderPlugin, Side, SideConfig, Variable, Variables } from '../activities/provider-plugin';
import { parse, readPem } from './config';

export { seconds } from './config';

type Env = Readonly<Record<string, string | undefined>>;
type ProcessSide = Exclude<Side, 'both'>;

/** The plugin's variables a process on `side` reads, by name. */
function variablesOf(plugin: ProviderPlugin, side: ProcessSide): [string, Variable][] {
  return Object.entries(plugin.variables).filter(([, variable]) => variable.side === side || variable.side === 'both');
}

/** The values of the plugin's `side` variables, or null when the provider is off (its `enabledBy` unset). */
export function loadProviderConfig(plugin: ProviderPlugin, env: Env, side: ProcessSide): SideConfig<Variables, ProcessSide> | null {
  if (!env[plugin.enabledBy]) return null;
  const variables = variablesOf(plugin, side);
  const schema = z.object(Object.fromEntries(variables.map(([name, variable]) => [name, variable.schema])));
  return parse(schema, Object.fromEntries(variables.map(([name]) => [name, env[name]])));
}

/** A PEM given inline or as a path to a file holding one (the variable's name is in any error). */
export const pemVariable = (name: string) => z.string().min(1).transform((value) => readPem(name, value));

/** A poll cadence in milliseconds, at least 200. */
export const pollIntervalMs = (fallback: number) => z.coerce.number().int().min(200).default(fallback);

/** The text of a variable's default for people (README), or null when it has none. */
export function defaultOf(variable: Variable): string | null {
  const parsed = variable.schema.safeParse(undefined);
  const value: unknown = parsed.success ? parsed.data : null;
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}

/** The provider variables only a worker reads (credentials among them). */
export function workerOnlyVariables(plugins: readonly ProviderPlugin[]): Set<string> {
  return new Set(plugins.flatMap((plugin) => Object.entries(plugin.variables).filter(([, variable]) => variable.side === 'worker').map(([name]) => name)));
}

/** `env` without the provider variables only a worker reads: all an ingress process needs to be given. */
export function ingressEnv<E extends Env>(plugins: readonly ProviderPlugin[], env: E): Partial<E> {
  const workerOnly = workerOnlyVariables(plugins);
  return Object.fromEntries(Object.entries(env).filter(([name]) => !workerOnly.has(name))) as Partial<E>;
}
