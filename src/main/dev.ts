/**
 * `npm start`: the whole embedded stack on fixed, documented ports, printing where everything is.
 * Ctrl-C stops the ingress, the worker, the sandboxes and the Temporal dev server in that order.
 */
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { PROJECT_ROOT } from '../temporal/cli';
import { startStack } from '../stack';
import { runUntilSignalled } from './lifecycle';

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const dataDir = join(PROJECT_ROOT, '.temporal');
  mkdirSync(dataDir, { recursive: true });
  const passthrough = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  const stack = await startStack({
    ingressPort: port('PORT', 8080),
    temporalPort: port('TEMPORAL_PORT', 7233),
    uiPort: port('TEMPORAL_UI_PORT', 8233),
    settleSandboxPort: port('SETTLE_SANDBOX_PORT', 8091),
    tabbySandboxPort: port('TABBY_SANDBOX_PORT', 8092),
    seqrSandboxPort: port('SEQR_SANDBOX_PORT', 8093),
    payseraSandboxPort: port('PAYSERA_SANDBOX_PORT', 8094),
    temporalDbFile: join(dataDir, 'dev-server.sqlite'),
    env: {
      PUBLIC_BASE_URL: process.env.PUBLIC_BASE_URL ?? `http://127.0.0.1:${port('PORT', 8080)}`,
      ...pick(passthrough, ['POS_API_KEYS', 'PAYMENT_REFUND_WINDOW_SECONDS', 'SETTLE_POLL_INTERVAL_MS', 'SETTLE_REAUTH_BEFORE_SECONDS', 'TABBY_POLL_INTERVAL_MS', 'TABBY_MIN_TIMEOUT_SECONDS', 'SEQR_POLL_INTERVAL_MS', 'SEQR_WINDOW_SECONDS', 'PAYSERA_POLL_INTERVAL_MS', 'PAYSERA_WATCH_INTERVAL_SECONDS', 'POLL_HEARTBEAT_TIMEOUT_SECONDS']),
    },
    log: (line) => console.log(line),
  });
  const [apiKey, merchant] = [...stack.apiKeys][0] ?? ['', ''];
  console.log(`
  POS payments — embedded stack is up

    Ingress (POS API)    ${stack.ingressUrl}
    Temporal Web UI      ${stack.uiUrl ?? '(headless)'}
    Temporal frontend    ${stack.temporalAddress}  namespace ${stack.namespace}
    Settle sandbox       ${stack.settleSandboxUrl}   (customer actions under /_sandbox/)
    Tabby sandbox        ${stack.tabbySandboxUrl}   (checkout page at the QR's web_url)
    SEQR sandbox         ${stack.seqrSandboxUrl}   (SOAP endpoint; customer actions under /_sandbox/)
    Paysera sandbox      ${stack.payseraSandboxUrl}   (tables TABLE1…TABLE10 at location 3; customer actions under /_sandbox/)

    Demo API key         ${apiKey}   (merchant ${merchant})

  Try: curl -s -X POST ${stack.ingressUrl}/v1/payments -H 'Authorization: Bearer ${apiKey}' \\
         -H 'Content-Type: application/json' \\
         -d '{"provider":"settle","pos_id":"till-1","pos_tid":"order-1","amount":2000,"currency":"EUR"}'

  Ctrl-C stops everything.
`);
  await runUntilSignalled(() => stack.stop());
}

function pick(env: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((name) => env[name] !== undefined).map((name) => [name, env[name] as string]));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
