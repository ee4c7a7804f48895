/** Four activities in a row and nothing else: what a workflow with the payment's activity count costs at least. */
import { proxyActivities } from '@temporalio/workflow';
import type { BareActivities } from './activities';

const { prepare, engage, observe, capture } = proxyActivities<BareActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', maximumAttempts: 6 },
});

export async function bareWorkflow(): Promise<number> {
  let statuses = 0;
  for (const step of [prepare, engage, observe, capture]) statuses += (await step()) > 0 ? 1 : 0;
  return statuses;
}
