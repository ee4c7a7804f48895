/**
 * Behaviour changes made after payments were already running, by `patched()` id. A payment started
 * before a change replays its old path; one started after takes the new one (see README, "Deploys").
 */
import { patched } from '@temporalio/workflow';

export const PATCHES = {
  /** Polls run on the waits task queue instead of sharing the lifecycle's activity slots. */
  pollsOnWaitsQueue: 'polls-on-waits-task-queue',
  /** A webhook nudges the running poll to read now instead of cancelling and restarting it. */
  wakesNudgeThePoll: 'wakes-nudge-the-poll',
  /** A capture the provider refused while the authorization stands is answered, not sent again. */
  refusedCaptureIsAnswered: 'refused-capture-is-answered',
  /** One provider answer that changes amounts and state is one new version, not two. */
  oneVersionPerChange: 'one-version-per-change',
  /** Every version of the resource is published in the workflow's memo: reads and long polls need no worker. */
  paymentInMemo: 'payment-in-memo',
} as const;

export type PatchId = (typeof PATCHES)[keyof typeof PATCHES];

/**
 * The marker of payments started from release 0.5.0 on: such a payment takes every change in
 * PATCHES without a marker of its own for each (a marker is a history event and a search-attribute
 * upsert, four of them per payment in 0.4.0). A release that adds patches adds its own marker,
 * which implies this one's.
 */
export const RELEASE_MARKER = 'release-0.5.0';

/** Which changes one payment takes; made once, when the payment starts. */
export class Patches {
  private readonly sinceRelease = patched(RELEASE_MARKER);

  has(id: PatchId): boolean {
    return this.sinceRelease || patched(id);
  }
}
