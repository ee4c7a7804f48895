/**
 * More than one of each on one PostgreSQL-backed cluster: two worker processes and two ingress
 * processes behind one public address. A payment's webhook reaches it whichever ingress receives
 * it; a worker killed with SIGKILL hands its waiting payments' polls to the other worker within the
 * polls' heartbeat timeout, and every payment still completes, captured once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { temporal } from '@temporalio/proto';
import { CLUSTER_TIMINGS, useClusterTopology, type ClusterTopology } from '../support/cluster-topology';
import { eventually } from '../support/http';
import { newTid, Pos } from '../support/pos';
import { scanPayment } from '../support/settle-customer';
import { clusterSkipReason } from '../support/temporal-cluster';

const STARTED = temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED;
const HEARTBEAT_TIMEOUT_MS = Number(CLUSTER_TIMINGS.POLL_HEARTBEAT_TIMEOUT_SECONDS) * 1000;
/** The poll's retry policy waits this long before the next attempt (workflows/payment-workflow.ts). */
const POLL_RETRY_INTERVAL_MS = 1000;
/**
 * The server's timer and the task's dispatch to the other worker, on a busy 2-core machine (measured:
 * the polls moved 4.0 s after the kill with a 2 s heartbeat timeout, while other suites ran).
 */
const SCHEDULING_SLACK_MS = 3000;

interface RunningPoll {
  paymentId: string;
  /** `<pid>@<host>` of the worker process running it. */
  workerIdentity: string;
  attempt: number;
}

/** The payment's provider poll, when one is running on a worker. */
async function runningPoll(topology: ClusterTopology, paymentId: string): Promise<RunningPoll | null> {
  const { raw } = await topology.client.workflow.getHandle(paymentId).describe();
  const poll = (raw.pendingActivities ?? []).find((activity) => activity.activityType?.name === 'awaitProviderChange' && activity.state === STARTED);
  return poll ? { paymentId, workerIdentity: poll.lastWorkerIdentity ?? '', attempt: poll.attempt ?? 0 } : null;
}

const runsOn = (poll: RunningPoll, pid: number) => poll.workerIdentity.startsWith(`${pid}@`);

describe('Temporal on PostgreSQL', async () => {
  describe('two workers and two ingresses', { skip: await clusterSkipReason() }, () => {
    const on = useClusterTopology({ workers: 2, ingresses: 2 });

    for (const [created, received] of [[0, 1], [1, 0]] as const) {
      it(`a payment created through ingress ${created} gets its webhooks through ingress ${received}`, async () => {
        const topology = on();
        const { balancer, settle } = topology;
        const till = new Pos(topology.ingressUrls[created]!, 'key-a');
        balancer.webhooksTo = received;
        try {
          const handledBefore = balancer.webhooksHandled[received] ?? 0;
          const payment = (await till.create({ provider: 'settle', pos_id: 'till-1', pos_tid: newTid(), amount: 1200, currency: 'EUR' })).body;
          // Settle tells the service about the scan only by its callback: the payment request exists because the webhook arrived.
          const tid = await scanPayment(till, settle, payment);
          assert.ok((balancer.webhooksHandled[received] ?? 0) > handledBefore);
          await settle.act(tid, 'approve');
          assert.equal((await till.waitForState(payment.id, 'captured')).captured_amount, 1200);
        } finally {
          balancer.webhooksTo = null;
        }
      });
    }

    it('a worker killed with SIGKILL: its waiting polls move to the other worker within the heartbeat timeout; nothing is lost', async () => {
      const topology = on();
      const { pos, settle } = topology;
      const payments = await Promise.all(Array.from({ length: 4 }, async () => {
        const created = (await pos.create({ provider: 'settle', pos_id: 'till-2', pos_tid: newTid(), amount: 700, currency: 'EUR' })).body;
        return { id: created.id, tid: await scanPayment(pos, settle, created) };
      }));
      const polls = await eventually('every payment polling Settle on a worker', async () => {
        const found = await Promise.all(payments.map((payment) => runningPoll(topology, payment.id)));
        return found.every((poll) => poll !== null) ? found : null;
      });
      const [victim, survivor] = [...topology.workers].sort((a, b) => polls.filter((poll) => runsOn(poll, b.pid)).length - polls.filter((poll) => runsOn(poll, a.pid)).length);
      const orphaned = polls.filter((poll) => runsOn(poll, victim!.pid));
      assert.ok(orphaned.length > 0 && polls.every((poll) => runsOn(poll, victim!.pid) || runsOn(poll, survivor!.pid)), JSON.stringify(polls));

      const killedAt = Date.now();
      await victim!.stop('SIGKILL');
      await eventually('the orphaned polls running on the surviving worker', async () => {
        const moved = await Promise.all(orphaned.map((poll) => runningPoll(topology, poll.paymentId)));
        return moved.every((poll, index) => poll !== null && runsOn(poll, survivor!.pid) && poll.attempt > orphaned[index]!.attempt);
      }, 30_000);
      const movedAfterMs = Date.now() - killedAt;
      console.error(`${orphaned.length} of ${polls.length} polls moved to the surviving worker ${movedAfterMs} ms after the kill (heartbeat timeout ${HEARTBEAT_TIMEOUT_MS} ms)`);
      assert.ok(movedAfterMs <= HEARTBEAT_TIMEOUT_MS + POLL_RETRY_INTERVAL_MS + SCHEDULING_SLACK_MS, `the polls moved after ${movedAfterMs} ms`);

      for (const payment of payments) await settle.act(payment.tid, 'approve');
      for (const payment of payments) {
        assert.equal((await pos.waitForState(payment.id, 'captured', 60_000)).captured_amount, 700);
        assert.equal((await settle.request(payment.tid)).outcome.captures.length, 1);
      }
    });
  });
});
