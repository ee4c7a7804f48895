/**
 * `npm run sandboxes`: the built-in provider sandboxes as a process of their own, for pointing a
 * service (`npm start`, or `npm run worker` + `npm run ingress`) at them through the contract's
 * variables exactly as at the real providers. Prints where each one is and, with `--env-out`,
 * writes the variables (credentials included) as `NAME='value'` lines that a shell or
 * `node --env-file` reads; PEMs are written with `\n` escapes, which the service's PEM reader takes.
 *
 *   npm run sandboxes -- [--providers settle,tabby] [--public-base-url http://127.0.0.1:8080] [--env-out sandboxes.env]
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ProviderPlugin } from '../../activities/provider-plugin';
import { defaultPlugins, webhookUrl } from '../providers';
import { sandboxPort, startSandboxes } from '../sandbox-fleet';
import { runUntilSignalled } from './lifecycle';

const NAMES = defaultPlugins.map((plugin) => plugin.name);

function pluginsOf(list: string): ProviderPlugin[] {
  const names = list.split(',').map((name) => name.trim()).filter(Boolean);
  const plugins = names.flatMap((name) => defaultPlugins.filter((plugin) => plugin.name === name));
  if (plugins.length !== names.length || names.length === 0) throw new Error(`--providers takes a comma-separated list of ${NAMES.join(', ')}`);
  return plugins;
}

function envFileLine(name: string, value: string): string {
  return `${name}='${value.replace(/\n/g, '\\n')}'`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      providers: { type: 'string', default: NAMES.join(',') },
      'public-base-url': { type: 'string', default: process.env.PUBLIC_BASE_URL ?? 'http://127.0.0.1:8080' },
      'env-out': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const publicBaseUrl = values['public-base-url'].replace(/\/$/, '');
  const sandboxes = await startSandboxes(pluginsOf(values.providers), (plugin) => ({
    port: sandboxPort(plugin, process.env),
    host: values.host,
    webhookUrl: webhookUrl(publicBaseUrl, plugin.name),
    env: process.env,
  }));
  const lines = sandboxes.flatMap((sandbox) => Object.entries(sandbox.env).map(([name, value]) => envFileLine(name, value)));
  if (values['env-out']) writeFileSync(values['env-out'], `${lines.join('\n')}\n`, { mode: 0o600 });
  console.log([
    `provider sandboxes ready; webhooks go to ${publicBaseUrl}`,
    ...sandboxes.map((sandbox) => `  ${sandbox.provider.padEnd(9)}${sandbox.url}   (${sandbox.hint})`),
    values['env-out'] ? `  the service's variables are in ${values['env-out']}` : '  pass --env-out FILE to get the service\'s variables',
  ].join('\n'));
  await runUntilSignalled(async () => {
    await Promise.all(sandboxes.map((sandbox) => sandbox.close()));
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
