/** Production worker process: `npm run worker`, configured by environment (contract, "Configuration"). */
import { NativeConnection } from '@temporalio/worker';
import { BASE_URL_VARIABLE, loadTemporalConfig } from '../config';
import { buildProviderRegistry } from '../providers';
import { temporalClient } from '../temporal/client';
import { terminalLookup } from '../terminal-directory';
import { createPaymentWorker, drainWorker, ensureHousekeeping } from '../worker';
import { runUntilSignalled } from './lifecycle';

async function main(): Promise<void> {
  const temporal = loadTemporalConfig(process.env);
  // Adapters read till registrations (SEQR) from their entity workflows through a client.
  const client = temporalClient(temporal);
  const providers = buildProviderRegistry(process.env, (provider) => terminalLookup(client, provider));
  if (providers.size === 0) throw new Error(`no provider is configured: set one of ${Object.values(BASE_URL_VARIABLE).join(', ')} with its credentials`);
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createPaymentWorker({ connection, namespace: temporal.namespace, taskQueue: temporal.taskQueue, providers });
  console.log(`worker polling ${temporal.taskQueue} on ${temporal.address} for ${[...providers.keys()].join(', ')}`);
  const running = worker.run();
  await ensureHousekeeping(client, temporal.taskQueue, providers);
  await runUntilSignalled(() => drainWorker(worker, running), running);
  await connection.close();
  await client.connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
