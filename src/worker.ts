/** A worker for the payments task queue: the payment and terminal workflows plus the provider activities. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundleOption } from '@temporalio/worker';
import { createHousekeepingActivities } from '../activities/housekeeping-activities';
import { createPaymentActivities, type ProviderRegistry } from '../activities/payment-activities';
import { createTerminalActivities } from '../activities/terminal-activities';
import type { ProviderName } from '../workflows/payment';

export interface PaymentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  providers: ProviderRegistry;
  /** A pre-built bundle (tests share one); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/**
 * Starts (or finds running) the long-lived watcher of every provider that has housekeeping. For a
 * provider whose configuration turned it off, says so once and stops a watcher an earlier
 * configuration left running, which would otherwise fail on its next sweep.
 */
export async function ensureHousekeeping(client: Client, taskQueue: string, providers: ProviderRegistry, log: (line: string) => void = console.log): Promise<void> {
  for (const [provider, { housekeeping }] of providers) {
    if (!housekeeping) continue;
    if ('off' in housekeeping) {
      log(`${provider}: ${housekeeping.off}`);
      await stopWatcher(client, housekeepingWorkflowId(provider));
      continue;
    }
    await client.workflow.start('housekeepingWorkflow', {
      workflowId: housekeepingWorkflowId(provider),
      taskQueue,
      args: [{ provider, interval_ms: housekeeping.intervalMs }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `${provider} housekeeping`,
    });
  }
}

const housekeepingWorkflowId = (provider: ProviderName) => `housekeeping:${provider}`;

async function stopWatcher(client: Client, workflowId: string): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).cancel();
  } catch (error) {
    // Never started, or already over: nothing to stop.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
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
