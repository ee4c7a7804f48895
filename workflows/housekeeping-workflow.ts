/**
 * A long-lived watcher per provider for work that belongs to no single payment (Paysera: close
 * spots with identifiers the merchant never configured — forged QR codes). One sweep, a pause, and
 * again; it continues as new when its history grows, so it can run for months.
 */
import { continueAsNew, proxyActivities, sleep, workflowInfo } from '@temporalio/workflow';

export interface HousekeepingActivities {
  /** One sweep; returns a line for the Web UI (e.g. which spots were closed). */
  housekeep(provider: string): Promise<string>;
}

export interface HousekeepingInput {
  provider: string;
  interval_ms: number;
}

const acts = proxyActivities<HousekeepingActivities>({
  startToCloseTimeout: '60s',
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export async function housekeepingWorkflow(input: HousekeepingInput): Promise<void> {
  while (!workflowInfo().continueAsNewSuggested) {
    await acts.housekeep(input.provider);
    await sleep(input.interval_ms, { summary: 'until the next sweep' });
  }
  await continueAsNew<typeof housekeepingWorkflow>(input);
}
