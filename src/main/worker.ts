/** Production worker process: `npm run worker`, configured by environment (contract, "Configuration"). */
import { NativeConnection } from '@temporalio/worker';
import { loadWorkerCapacity, loadWorkerHeapGrowthPercent } from '../config';
import { logger, secrets, useLogFormat } from '../observability/logger';
import { flushTraces, startTracing } from '../observability/tracing';
import { installWorkerTelemetry } from '../observability/worker-telemetry';
import { buildWorkerProviders, defaultPlugins, secretVariables } from '../providers';
import { temporalClient } from '../temporal/client';
import { describeConnection, loadTemporalConfig } from '../temporal/connection-config';
import { terminalLookup } from '../terminal-directory';
import { ensureHousekeeping, PaymentWorkers } from '../worker';
import { waitsTaskQueue } from '../../workflows/task-queues';
import { limitHeapGrowth } from './heap-growth';
import { runUntilSignalled } from './lifecycle';

async function main(): Promise<void> {
  useLogFormat(process.env, 'json');
  const heapGrowthPercent = loadWorkerHeapGrowthPercent(process.env);
  limitHeapGrowth(heapGrowthPercent);
  secrets.addFromEnv(process.env, secretVariables(defaultPlugins));
  startTracing('pos-worker', process.env);
  const serveMetrics = await installWorkerTelemetry(process.env);
  const temporal = loadTemporalConfig(process.env);
  // Adapters read till registrations (SEQR) from their entity workflows through a client.
  const client = temporalClient(temporal);
  const providers = buildWorkerProviders(defaultPlugins, process.env, (provider) => terminalLookup(client, provider));
  if (providers.size === 0) throw new Error(`no provider is configured: set one of ${defaultPlugins.map((plugin) => plugin.enabledBy).join(', ')} with its credentials`);
  const connection = await NativeConnection.connect(temporal.connection);
  const capacity = loadWorkerCapacity(process.env);
  const workers = await PaymentWorkers.create({ connection, namespace: temporal.namespace, taskQueue: temporal.taskQueue, providers, capacity });
  const metrics = await serveMetrics(workers.metrics.registry);
  logger.info({ metrics_port: metrics?.port ?? null, heap_growth_percent: heapGrowthPercent }, `worker polling ${temporal.taskQueue} (${capacity.activitySlots} activity slots) and ${waitsTaskQueue(temporal.taskQueue)} (${capacity.waitSlots} wait slots) on ${describeConnection(temporal.connection)} for ${[...providers.keys()].join(', ')}`);
  const running = workers.run();
  const housekeeping = startHousekeepingUntilDone(() => ensureHousekeeping(client, temporal.taskQueue, providers), running);
  await runUntilSignalled(() => workers.drain(), running);
  await housekeeping;
  await metrics?.close();
  await flushTraces();
  await connection.close();
  await client.connection.close();
}

/**
 * The housekeeping watchers are started by whichever worker process comes up, and a Temporal blip at
 * that moment must not stop a worker that already serves payments: retried every 10 s until it
 * works or the worker stops.
 */
async function startHousekeepingUntilDone(start: () => Promise<void>, running: Promise<unknown>): Promise<void> {
  let stopped = false;
  const ended = running.then(() => undefined, () => undefined).then(() => { stopped = true; });
  for (let attempt = 1; !stopped; attempt += 1) {
    try {
      await start();
      return;
    } catch (error) {
      logger.warn({ err: error, attempt }, `housekeeping watchers not started; trying again in ${HOUSEKEEPING_RETRY_MS / 1000} s`);
      await new Promise<void>((resolve) => { setTimeout(resolve, HOUSEKEEPING_RETRY_MS).unref(); void ended.then(resolve); });
    }
  }
}

const HOUSEKEEPING_RETRY_MS = 10_000;

main().catch((error: unknown) => {
  logger.fatal({ err: error }, error instanceof Error ? error.message : String(error));
  process.exit(1);
});
