/** Production ingress process: `npm run ingress`, configured by environment (contract, "Configuration"). */
import { loadIngressConfig, loadPublicBaseUrl } from '../config';
import { createIngressApp } from '../ingress/app';
import { logger, secrets, useLogFormat } from '../observability/logger';
import { flushTraces, startTracing } from '../observability/tracing';
import { workerOnlyVariables } from '../provider-config';
import { buildIngressProviders, defaultPlugins, secretVariables } from '../providers';
import { temporalClient } from '../temporal/client';
import { describeConnection, loadTemporalConfig } from '../temporal/connection-config';
import { listen, runUntilSignalled } from './lifecycle';

async function main(): Promise<void> {
  useLogFormat(process.env, 'json');
  secrets.addFromEnv(process.env, secretVariables(defaultPlugins));
  startTracing('pos-ingress', process.env);
  const ingress = loadIngressConfig(process.env);
  const needless = [...workerOnlyVariables(defaultPlugins)].filter((name) => process.env[name] !== undefined);
  if (needless.length > 0) logger.warn(`given worker-only variables this process never reads (give them to the worker only): ${needless.join(', ')}`);
  const temporal = loadTemporalConfig(process.env);
  // Lazy: the ingress answers (503, and `/readyz` says why) while Temporal is still unreachable.
  const client = temporalClient(temporal);
  const closing = new AbortController();
  const app = createIngressApp({
    client,
    closing: closing.signal,
    taskQueue: temporal.taskQueue,
    apiKeys: ingress.apiKeys,
    // Webhook verification material and create rules only: provider calls go through the worker.
    providers: buildIngressProviders(defaultPlugins, process.env),
    publicBaseUrl: loadPublicBaseUrl(process.env),
    createTimeoutMs: ingress.createTimeoutMs,
    qrLinks: ingress.qrLinks,
    // This process knows no sandbox and no Web UI; the page asks for the API key.
    demo: ingress.demoPage ? { apiKey: null, customerPages: {}, temporalUi: null } : null,
  });
  const server = await listen(app, ingress.port);
  logger.info(`ingress listening on :${ingress.port} for ${ingress.apiKeys.size} API key(s); Temporal ${describeConnection(temporal.connection)}`);
  await runUntilSignalled(() => server.close());
  closing.abort();
  await flushTraces();
  await client.connection.close();
}

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
