/**
 * `npm start`: the whole embedded stack on fixed, documented ports, printing where everything is.
 * It honours the contract's configuration: a provider whose base URL is set is that server and gets
 * no sandbox, a set `TEMPORAL_ADDRESS` is used instead of a dev server, `PUBLIC_BASE_URL` is where
 * providers send webhooks. Ctrl-C stops the ingress, the worker, the sandboxes and the dev server.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { logger, useLogFormat } from '../observability/logger';
import { flushTraces, startTracing } from '../observability/tracing';
import { PROJECT_ROOT } from '../temporal/cli';
import { defaultPlugins } from '../providers';
import { sandboxPort } from '../sandbox-fleet';
import { startStack, type RunningStack } from '../stack';
import { runUntilSignalled } from './lifecycle';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  // People read this output: pretty lines unless LOG_FORMAT=json.
  useLogFormat(process.env, 'pretty');
  startTracing('pos-qr-payments', process.env);
  const dataDir = join(PROJECT_ROOT, '.temporal');
  mkdirSync(dataDir, { recursive: true });
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const stack = await startStack({
    ingressPort: port('PORT', 8080),
    temporalPort: port('TEMPORAL_PORT', 7233),
    uiPort: port('TEMPORAL_UI_PORT', 8233),
    sandboxPorts: Object.fromEntries(defaultPlugins.map((plugin) => [plugin.name, sandboxPort(plugin, env)])),
    temporalDbFile: join(dataDir, 'dev-server.sqlite'),
    // The demo till is on for people trying the service here; DEMO_PAGE=false turns it off.
    env: { PUBLIC_BASE_URL: `http://127.0.0.1:${port('PORT', 8080)}`, DEMO_PAGE: 'true', ...env },
    log: (line) => logger.info(line),
  });
  // The banner is for the person who ran `npm start`, not a log line: it shows the demo key on purpose.
  process.stdout.write(`${banner(stack)}\n`);
  await runUntilSignalled(() => stack.stop());
  await flushTraces();
}

function banner(stack: RunningStack): string {
  // Only the key made up here is printed; keys from POS_API_KEYS are the operator's secrets.
  const [apiKey, merchant] = process.env.POS_API_KEYS ? ['<one of POS_API_KEYS>', 'its merchant'] : [...stack.apiKeys][0] ?? ['', ''];
  const temporal = stack.temporalSource === 'dev-server'
    ? `${stack.temporalAddress}  namespace ${stack.namespace}  (dev server started here)`
    : `${stack.temporalAddress}  namespace ${stack.namespace}  (external: TEMPORAL_ADDRESS)`;
  const width = Math.max(...stack.providers.map(({ provider }) => provider.length)) + 2;
  const providers = stack.providers.map(({ provider, source, url, hint }) =>
    `      ${provider.padEnd(width)}${source.padEnd(10)}${url}${hint ? `   (${hint})` : ''}`);
  const [example] = stack.providers;
  return `
  POS payments — embedded stack is up

    Ingress (POS API)    ${stack.ingressUrl}
    Demo till            ${stack.demoUrl ?? '(off: DEMO_PAGE=false)'}
    API reference        ${stack.ingressUrl}/docs
    Webhooks base        ${stack.env.PUBLIC_BASE_URL}   (PUBLIC_BASE_URL)
    Temporal Web UI      ${stack.uiUrl ?? '(not started: Temporal is external)'}
    Temporal frontend    ${temporal}
    Providers            (sandbox = built in; external = the server its base URL variable names)
${providers.join('\n')}

    API key              ${apiKey}   (merchant ${merchant})

  Try: curl -s -X POST ${stack.ingressUrl}/v1/payments -H 'Authorization: Bearer ${apiKey}' \\
         -H 'Content-Type: application/json' \\
         -d '{"provider":"${example?.provider}","pos_id":"till-1","pos_tid":"order-1","amount":2000,"currency":"${example?.currencies[0]}"}'

  Ctrl-C stops everything.
`;
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
