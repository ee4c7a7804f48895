/** A worker for the payments task queue: the payment and terminal workflows plus the provider activities. */
import type { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createHousekeepingActivities } from '../activities/housekeeping-activities';
import { createPaymentActivities, type ProviderRegistry } from '../activities/payment-activities';
import { createTerminalActivities } from '../activities/terminal-activities';

export interface PaymentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  providers: ProviderRegistry;
  /** A pre-built bundle (tests share one); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** Starts (or finds running) the long-lived watcher of every provider that has housekeeping. */
export async function ensureHousekeeping(client: Client, taskQueue: string, providers: ProviderRegistry): Promise<void> {
  for (const [provider, module] of providers) {
    if (!module.housekeeping) continue;
    await client.workflow.start('housekeepingWorkflow', {
      workflowId: `housekeeping:${provider}`,
      taskQueue,
      args: [{ provider, interval_ms: module.housekeeping.intervalMs }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `${provider} housekeeping`,
    });
  }
}

/**
 * Stops the worker and waits until it has drained. The SDK already starts shutting down on
 * SIGINT/SIGTERM by itself, so a worker that is no longer running is only waited for.
 */
export async function drainWorker(worker: Worker, running: Promise<void>): Promise<void> {
  if (worker.getState() === 'RUNNING') worker.shutdown();
  await running;
}

export function createPaymentWorker(options: PaymentWorkerOptions): Promise<Worker> {
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue,
    ...(options.workflowBundle ? { workflowBundle: options.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
    activities: {
      ...createPaymentActivities(options.providers),
      ...createTerminalActivities(options.providers),
      ...createHousekeepingActivities(options.providers),
    },
  });
}
