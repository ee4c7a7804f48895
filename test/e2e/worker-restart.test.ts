/**
 * The worker process is killed (SIGKILL) while a payment waits on its customer; the customer pays
 * while no worker runs; a new worker process takes over and the payment completes exactly once.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { PROJECT_ROOT } from '../../src/temporal/cli';
import { useStack } from '../support/e2e-stack';
import { eventually } from '../support/http';
import { newTid } from '../support/pos';
import { scanPayment } from '../support/settle-customer';

const e2e = useStack();

/** The production worker entry point (`npm run worker`) as its own OS process. */
function startWorkerProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/worker.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.resume();
  child.stderr?.resume();
  return child;
}

describe('worker restart', () => {
  it('a payment survives its worker being killed mid-wait', async () => {
    const { stack, pos, settle } = e2e();
    await stack.stopWorker();
    const first = startWorkerProcess(stack.env);
    try {
      const posTid = newTid();
      const payment = (await pos.create({ provider: 'settle', pos_id: 'till-6', pos_tid: posTid, amount: 990, currency: 'EUR' })).body;
      const tid = await scanPayment(pos, settle, payment);
      // Make sure the poll is running on the first worker before killing it.
      await eventually('the poll activity to be running', async () => {
        const description = await stack.client.workflow.getHandle(payment.id).describe();
        const raw = description.raw.pendingActivities ?? [];
        return raw.some((activity) => activity.activityType?.name === 'awaitProviderChange' && activity.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
      });
      first.kill('SIGKILL');
      await once(first, 'exit');

      await settle.act(tid, 'approve');
      const second = startWorkerProcess(stack.env);
      try {
        const captured = await pos.waitForState(payment.id, 'captured', 60_000);
        assert.equal(captured.captured_amount, 990);
        const atSettle = await settle.request(tid);
        assert.equal(atSettle.outcome.captures.length, 1);
        assert.equal((await settle.requests('till-6', `m-a.${posTid}`)).length, 1);
        await e2e().recordHistory('settle-worker-killed', payment.id);
      } finally {
        second.kill('SIGTERM');
        await once(second, 'exit');
      }
    } finally {
      if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
    }
  });
});
