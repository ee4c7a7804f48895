/** Production worker process: `npm run worker`, configured by environment (contract, "Configuration"). */
import { NativeConnection } from '@temporalio/worker';
import { loadTemporalConfig } from '../config';
import { buildProviderRegistry } from '../providers';
import { createPaymentWorker } from '../worker';
import { runUntilSignalled } from './lifecycle';

async function main(): Promise<void> {
  const temporal = loadTemporalConfig(process.env);
  const providers = buildProviderRegistry(process.env);
  if (providers.size === 0) throw new Error('no provider is configured: set at least SETTLE_BASE_URL and its credentials');
  const connection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createPaymentWorker({ connection, namespace: temporal.namespace, taskQueue: temporal.taskQueue, providers });
  console.log(`worker polling ${temporal.taskQueue} on ${temporal.address} for ${[...providers.keys()].join(', ')}`);
  await runUntilSignalled(() => Promise.resolve(worker.shutdown()), worker.run());
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
