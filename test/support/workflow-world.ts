/**
 * One Temporal dev server (the project's pinned CLI, through `@temporalio/testing`) and one pair of
 * workers per workflow test file, with the fake provider behind the activities. No sandboxes, no
 * ingress: the payment workflow alone, driven through its public messages.
 */
import { randomUUID } from 'node:crypto';
import { after, before } from 'node:test';
import { WithStartWorkflowOperation, type Client } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type InjectedSinks } from '@temporalio/worker';
import { ensureTemporalCli } from '../../src/temporal/cli';
import { dynamicConfigValues } from '../../src/temporal/temporal-config';
import { openUpdate, WORKFLOW_TYPE } from '../../workflows/messages';
import type { CreatePaymentRequest, OpenResult } from '../../workflows/payment';
import type { PaymentEventSinks } from '../../workflows/payment-events';
import * as searchAttributes from '../../workflows/search-attributes';
import { waitsTaskQueue } from '../../workflows/task-queues';
import { FakePayment, FakeProvider, type FakePaymentOptions } from './fake-provider';
import { TestPayment } from './test-payment';

const WORKFLOWS_PATH = require.resolve('../../workflows');

/** The payment's operator events feed worker metrics in production; here nobody listens. */
const silentPaymentEvents: InjectedSinks<PaymentEventSinks> = {
  paymentEvents: {
    started: { fn: () => undefined },
    stateChanged: { fn: () => undefined },
    refundSettled: { fn: () => undefined },
  },
};

export interface WorkflowWorld {
  client: Client;
  /** Starts a payment as the ingress does (update-with-start of `open`) and answers the `open` result. */
  open(request?: Partial<CreatePaymentRequest>, options?: FakePaymentOptions): Promise<{ payment: TestPayment; opened: OpenResult }>;
  /** The ingress's create again, for a payment that exists: the same request, or another one under the same ids. */
  reopen(payment: TestPayment, request: CreatePaymentRequest): Promise<OpenResult>;
}

export function paymentRequest(extra: Partial<CreatePaymentRequest> = {}): CreatePaymentRequest {
  return {
    provider: 'settle',
    pos_id: 'till-1',
    pos_tid: randomUUID(),
    amount: 5000,
    currency: 'EUR',
    capture_mode: 'auto',
    timeout_seconds: 60,
    description: null,
    line_items: null,
    provider_options: {},
    ...extra,
  };
}

/** Registers `before`/`after` hooks for the file and returns the world they set up. */
export function useWorkflowWorld(): () => WorkflowWorld {
  let env: TestWorkflowEnvironment | undefined;
  let world: WorkflowWorld | undefined;
  let workers: Worker[] = [];
  let running: Promise<unknown> | undefined;
  before(async () => {
    // Workflow log lines (one per payment change) and the warnings of the provider refusals the
    // tests script would bury the report; a real failure fails an assertion anyway.
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    const cliPath = await ensureTemporalCli();
    env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'existing-path', path: cliPath },
        searchAttributes: Object.values(searchAttributes),
        extraArgs: Object.entries(dynamicConfigValues()).flatMap(([key, value]) => ['--dynamic-config-value', `${key}=${JSON.stringify(value)}`]),
      },
    });
    const fake = new FakeProvider();
    const taskQueue = `workflow-tests-${randomUUID()}`;
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
    const common = { connection: env.nativeConnection, namespace: env.namespace ?? 'default', shutdownGraceTime: '1s' };
    workers = [
      await Worker.create({ ...common, taskQueue, workflowBundle, activities: fake.activities(), sinks: { ...silentPaymentEvents, ...fake.sinks() } }),
      await Worker.create({ ...common, taskQueue: waitsTaskQueue(taskQueue), activities: fake.waitActivities() }),
    ];
    running = Promise.all(workers.map((worker) => worker.run()));
    const client = env.client;
    const startOpen = (paymentId: string, request: CreatePaymentRequest) => {
      const startWorkflowOperation = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
        workflowId: paymentId,
        taskQueue,
        args: [{ payment_id: paymentId, merchant_id: 'm-test', request }],
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return client.workflow.executeUpdateWithStart(openUpdate, { args: [request], startWorkflowOperation });
    };
    world = {
      client,
      async open(extra = {}, options = {}) {
        const request = paymentRequest(extra);
        const paymentId = `wf-test-${request.pos_tid}`;
        const fakePayment = fake.add(paymentId, new FakePayment(request, options));
        const opened = await startOpen(paymentId, request);
        return { payment: new TestPayment(client.workflow.getHandle(paymentId), fakePayment), opened };
      },
      reopen: (payment, request) => startOpen(payment.id, request),
    };
  });
  after(async () => {
    for (const worker of workers) worker.shutdown();
    await running;
    await env?.teardown();
  });
  return () => {
    if (!world) throw new Error('the workflow test environment is not running');
    return world;
  };
}
