/**
 * Behaviour changes made after payments were already running, by `patched()` id. A payment started
 * before a change replays its old path; one started after takes the new one (see README, "Deploys").
 */
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
