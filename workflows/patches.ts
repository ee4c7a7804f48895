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
  /**
   * A wake while the poll runs nudges it from the wake's validator and is then refused: the poll's
   * answer is the news, so the wake writes no history and takes no workflow task of its own.
   */
  wakesNudgeFromValidator: 'wakes-nudge-from-validator',
  /**
   * In `authorized` every webhook is read (no poll runs there to coalesce with), also one that
   * arrives while the previous re-read is under way.
   */
  authorizedReadsEveryWake: 'authorized-reads-every-wake',
} as const;

export type PatchId = (typeof PATCHES)[keyof typeof PATCHES];

/**
 * Release markers, newest first. A payment started by a release records that release's marker once
 * (in its first workflow task) and takes every change the release lists, with no marker per patch:
 * a marker is a history event and a search-attribute upsert. A release that adds patches adds its
 * marker here, listing its own patches and every earlier one.
 */
const RELEASES: readonly { marker: string; patches: readonly PatchId[] }[] = [
  { marker: 'release-0.6.0', patches: Object.values(PATCHES) },
  {
    marker: 'release-0.5.0',
    patches: [PATCHES.pollsOnWaitsQueue, PATCHES.wakesNudgeThePoll, PATCHES.refusedCaptureIsAnswered, PATCHES.oneVersionPerChange, PATCHES.paymentInMemo],
  },
];

/** The marker a payment started now records. */
export const RELEASE_MARKER = RELEASES[0]!.marker;

/** Which changes one payment takes; made once, when the payment starts. */
export class Patches {
  /**
   * The release that started this payment, if it was one with a marker. `find` stops at the first
   * marker present, so a new payment records only the newest one; a replayed payment finds its own.
   */
  private readonly release = RELEASES.find(({ marker }) => patched(marker)) ?? null;

  has(id: PatchId): boolean {
    return this.startedWith(id) || patched(id);
  }

  /**
   * Whether the release that started the payment includes `id`, asking nothing of the history. For
   * validators: a validator must not record a marker (its workflow task may be thrown away), so a
   * payment from before releases had markers keeps its old rule there.
   */
  startedWith(id: PatchId): boolean {
    return this.release?.patches.includes(id) ?? false;
  }
}
