/** The worker side: the payment, terminal, housekeeping and provider-read workflows and the provider activities, on two task queues. */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker, type InjectedSinks, type WorkflowBundleOption } from '@temporalio/worker';
import type { Sinks } from '@temporalio/workflow';
import { createHousekeepingActivities } from '../activities/housekeeping-activities';
import { createLocalPaymentActivities, createPaymentActivities, createPollNudgeSinks, createWaitActivities, type ProviderRegistry } from '../activities/payment-activities';
import { PollNudges } from '../activities/poll-nudges';
import { createProviderReadActivities } from '../activities/provider-read-activities';
import { createTerminalActivities } from '../activities/terminal-activities';
import { paymentLogFields } from './observability/activity-log-fields';
import { logger } from './observability/logger';
import { TemporalLogs } from './observability/temporal-runtime';
import { activityTracing, WORKFLOW_TRACING_MODULES, workflowSpanSinks } from './observability/tracing';
import { WorkerMetrics } from './observability/worker-metrics';
import { waitsTaskQueue } from '../workflows/task-queues';
import type { WorkerCapacity } from './config';

export interface PaymentWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  providers: ProviderRegistry;
  /** A pre-built bundle (it must include WORKFLOW_TRACING_MODULES); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
  capacity: WorkerCapacity;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** The sinks the payment workflow calls (spans, metrics, poll nudges): the workers' and the replayer's. */
export function paymentWorkflowSinks(metrics: WorkerMetrics, nudges: PollNudges): InjectedSinks<Sinks> {
  return { ...workflowSpanSinks(), ...metrics.sinks(), ...createPollNudgeSinks(nudges, metrics) };
}

/**
 * Starts (or finds running) the long-lived watcher of every provider that has housekeeping. For a
 * provider whose configuration turned it off, says so once and stops a watcher an earlier
 * configuration left running, which would otherwise fail on its next sweep.
 */
export async function ensureHousekeeping(client: Client, taskQueue: string, providers: ProviderRegistry, log: (line: string) => void = (line) => logger.info(line)): Promise<void> {
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

const housekeepingWorkflowId = (provider: string) => `housekeeping:${provider}`;

async function stopWatcher(client: Client, workflowId: string): Promise<void> {
  try {
    await client.workflow.getHandle(workflowId).cancel();
  } catch (error) {
    // Never started, or already over: nothing to stop.
    if (!(error instanceof WorkflowNotFoundError)) throw error;
  }
}

/**
 * Bundles the workflows with the tracing interceptors. Webpack's report of a good build (a page of
 * module sizes) is not worth an operator's attention, so the bundler logs warnings and errors only.
 */
function bundleWorkflows(): Promise<WorkflowBundleOption> {
  const bundlerLogs = new TemporalLogs(logger.child({ component: 'workflow-bundler' }, { level: 'warn' }));
  return bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_TRACING_MODULES, logger: bundlerLogs });
}

/**
 * The worker process's two Temporal workers. `payments` runs the workflows and every lifecycle
 * activity (set-up, capture, cancel, refund) within `activitySlots`; `waits` runs only the polls that
 * wait on customers, on their own task queue with `waitSlots` sized for idle I/O, so customers at the
 * tills can never hold the slots the lifecycle needs. Both share one nudge registry, so a webhook's
 * wake reaches a poll running in this process without restarting it. Both trace every activity and
 * put the payment's fields on activity log lines; `metrics` is what they report to operators.
 */
export class PaymentWorkers {
  private running: Promise<void> | null = null;

  private constructor(readonly payments: Worker, readonly waits: Worker, readonly metrics: WorkerMetrics) {}

  static async create(options: PaymentWorkerOptions): Promise<PaymentWorkers> {
    const nudges = new PollNudges();
    const metrics = new WorkerMetrics(options.capacity.waitSlots);
    const activityInterceptors = [activityTracing, paymentLogFields];
    const payments = await Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: options.taskQueue,
      workflowBundle: options.workflowBundle ?? await bundleWorkflows(),
      maxConcurrentActivityTaskExecutions: options.capacity.activitySlots,
      maxCachedWorkflows: options.capacity.cachedWorkflows,
      interceptors: { activity: activityInterceptors },
      sinks: paymentWorkflowSinks(metrics, nudges),
      activities: {
        ...createPaymentActivities(options.providers, nudges, metrics),
        ...createLocalPaymentActivities(nudges, metrics),
        ...createTerminalActivities(options.providers),
        ...createHousekeepingActivities(options.providers),
        ...createProviderReadActivities(options.providers),
      },
    });
    const waits = await Worker.create({
      connection: options.connection,
      namespace: options.namespace,
      taskQueue: waitsTaskQueue(options.taskQueue),
      maxConcurrentActivityTaskExecutions: options.capacity.waitSlots,
      interceptors: { activity: activityInterceptors },
      activities: createWaitActivities(options.providers, nudges, metrics),
    });
    return new PaymentWorkers(payments, waits, metrics);
  }

  /** Runs both until `drain`; resolves when both stopped. */
  run(): Promise<void> {
    this.running ??= Promise.all([this.payments.run(), this.waits.run()]).then(() => undefined);
    return this.running;
  }

  /**
   * Stops both and waits until they have drained. The SDK already starts shutting down on
   * SIGINT/SIGTERM by itself, so a worker that is no longer running is only waited for.
   */
  async drain(): Promise<void> {
    for (const worker of [this.payments, this.waits]) {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    }
    await this.running;
  }
}
