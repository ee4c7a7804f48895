/**
 * Whether the workers can take on another waiting customer. Polls run on the waits task queue; when
 * every wait slot of every worker is busy, newly scheduled polls wait there for a slot. A new
 * payment is then refused at once (503 `capacity_exhausted`) instead of showing a QR that nobody
 * would watch. A burst of new polls also waits briefly while the worker's pollers fetch them, with
 * slots free; so the sign of exhaustion is a backlog whose oldest poll has waited longer than a
 * burst takes to drain, not a backlog at all. The answer is shared for a second, so a burst of
 * creates costs one Temporal call.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { waitsTaskQueue } from '../../workflows/task-queues';

const FRESH_FOR_MS = 1000;
/** A poll that has waited this long for a wait slot means none is free. */
const EXHAUSTED_AFTER_SECONDS = 3;

export class WaitCapacity {
  private answer: { at: number; exhausted: Promise<boolean> } | null = null;

  constructor(private readonly client: Client, private readonly taskQueue: string) {}

  exhausted(): Promise<boolean> {
    const now = Date.now();
    if (this.answer === null || now - this.answer.at > FRESH_FOR_MS) {
      const exhausted = this.oldestWaitSeconds().then((seconds) => seconds >= EXHAUSTED_AFTER_SECONDS);
      // A failed look-up is not cached: the next create asks again.
      exhausted.catch(() => { this.answer = null; });
      this.answer = { at: now, exhausted };
    }
    return this.answer.exhausted;
  }

  private async oldestWaitSeconds(): Promise<number> {
    const description = await this.client.workflowService.describeTaskQueue({
      namespace: this.client.options.namespace,
      taskQueue: { name: waitsTaskQueue(this.taskQueue) },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportStats: true,
    });
    const { stats } = description;
    if (!stats?.approximateBacklogCount || Number(stats.approximateBacklogCount) === 0) return 0;
    return Number(stats.approximateBacklogAge?.seconds ?? 0);
  }
}
