/**
 * The bare reference's worker, a process of its own like the payment worker, on its own task queue
 * and with the SDK's default options. Env: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, BARE_TASK_QUEUE,
 * BARE_PROBE_URL (what each activity GETs).
 */
import { NativeConnection, Worker } from '@temporalio/worker';
import { createBareActivities } from './activities';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

async function main(): Promise<void> {
  const taskQueue = required('BARE_TASK_QUEUE');
  const connection = await NativeConnection.connect({ address: required('TEMPORAL_ADDRESS') });
  const worker = await Worker.create({
    connection,
    namespace: required('TEMPORAL_NAMESPACE'),
    taskQueue,
    workflowsPath: require.resolve('./workflow'),
    activities: createBareActivities(required('BARE_PROBE_URL')),
  });
  console.log(`bare worker polling ${taskQueue}`);
  // The SDK shuts the worker down on SIGINT/SIGTERM by itself; run() resolves once it has drained.
  await worker.run();
  await connection.close();
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
