/**
 * The README's table of provider variables, rendered from the plugin list: the table cannot drift
 * from what the processes read (test/unit/readme-providers.test.ts compares the two).
 */
import type { ProviderPlugin } from '../activities/provider-plugin';
import { defaultOf } from './provider-config';

const READ_BY = { worker: 'worker', ingress: 'ingress', both: 'worker, ingress' } as const;

/** One markdown table: variable, provider, meaning, default, secret, read by. */
export function providerVariablesTable(plugins: readonly ProviderPlugin[]): string {
  const rows = plugins.flatMap((plugin) => Object.entries(plugin.variables).map(([name, variable]) => {
    const fallback = defaultOf(variable);
    const cells = [`\`${name}\``, plugin.title, variable.description, fallback === null ? '' : `\`${fallback}\``, variable.secret ? 'yes' : '', READ_BY[variable.side]];
    return `| ${cells.join(' | ')} |`;
  }));
  return ['| variable | provider | meaning | default | secret | read by |', '|---|---|---|---|---|---|', ...rows].join('\n');
}
