/** Production ingress process: `npm run ingress`, configured by environment (contract, "Configuration"). */
import { loadIngressConfig, loadPublicBaseUrl, loadTemporalConfig } from '../config';
import { createIngressApp } from '../ingress/app';
import { buildProviderRegistry } from '../providers';
import { temporalClient } from '../temporal/client';
import { terminalLookup } from '../terminal-directory';
import { listen, runUntilSignalled } from './lifecycle';

async function main(): Promise<void> {
  const ingress = loadIngressConfig(process.env);
  const temporal = loadTemporalConfig(process.env);
  // Lazy: the ingress answers (503, and `/readyz` says why) while Temporal is still unreachable.
  const client = temporalClient(temporal);
  const app = createIngressApp({
    client,
    taskQueue: temporal.taskQueue,
    apiKeys: ingress.apiKeys,
    providers: buildProviderRegistry(process.env, (provider) => terminalLookup(client, provider)),
    publicBaseUrl: loadPublicBaseUrl(process.env),
    createTimeoutMs: ingress.createTimeoutMs,
  });
  const server = await listen(app, ingress.port);
  console.log(`ingress listening on :${ingress.port} for ${ingress.apiKeys.size} API key(s)`);
  await runUntilSignalled(() => server.close());
  await client.connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
