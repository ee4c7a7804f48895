/**
 * Lets a webhook's wake reach the poll of its payment without cancelling it. The poll registers
 * while it sleeps between reads; the workflow's `nudgePoll` local activity, running in the same
 * worker process, ends that sleep so the next read happens now.
 *
 * A nudge that finds no sleeping poll is kept for a few seconds: the poll may not have started yet
 * (the webhook overtook the activity's start) or may be in the middle of a read that began before
 * the change. Its next registration then does not sleep, so the change is read at once instead of
 * one cadence later. A nudge for a poll that runs in another process finds nothing here and
 * expires; that poll sees the change at its next tick.
 */
export class PollNudges {
  private readonly sleepers = new Map<string, Set<() => void>>();
  /** Nudges that found no sleeper: payment id → when they stop counting (insertion order = age). */
  private readonly unclaimed = new Map<string, number>();

  constructor(
    private readonly unclaimedTtlMs = UNCLAIMED_TTL_MS,
    private readonly unclaimedCapacity = UNCLAIMED_CAPACITY,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when `paymentId` is nudged (at once if a recent nudge is unclaimed); `release` forgets the registration. */
  register(paymentId: string): { nudged: Promise<void>; release: () => void } {
    if (this.claim(paymentId)) return { nudged: Promise.resolve(), release: () => undefined };
    let wake: () => void = () => undefined;
    const nudged = new Promise<void>((resolve) => { wake = resolve; });
    const sleepers = this.sleepers.get(paymentId) ?? new Set<() => void>();
    sleepers.add(wake);
    this.sleepers.set(paymentId, sleepers);
    const release = () => {
      sleepers.delete(wake);
      if (sleepers.size === 0 && this.sleepers.get(paymentId) === sleepers) this.sleepers.delete(paymentId);
    };
    return { nudged, release };
  }

  /** Wakes every poll of `paymentId` sleeping in this process; false (and kept for a while) when there is none. */
  nudge(paymentId: string): boolean {
    const sleepers = this.sleepers.get(paymentId);
    if (!sleepers || sleepers.size === 0) {
      this.keepUnclaimed(paymentId);
      return false;
    }
    for (const wake of sleepers) wake();
    return true;
  }

  /** How many payments have a poll sleeping here now (a gauge for operators). */
  get size(): number {
    return this.sleepers.size;
  }

  private keepUnclaimed(paymentId: string): void {
    this.unclaimed.delete(paymentId);
    this.unclaimed.set(paymentId, this.now() + this.unclaimedTtlMs);
    if (this.unclaimed.size > this.unclaimedCapacity) this.unclaimed.delete(this.unclaimed.keys().next().value as string);
  }

  private claim(paymentId: string): boolean {
    const until = this.unclaimed.get(paymentId);
    if (until === undefined) return false;
    this.unclaimed.delete(paymentId);
    return until >= this.now();
  }
}

/** Long enough for a scheduled poll to start or a read in flight to finish; short enough to mean "just now". */
const UNCLAIMED_TTL_MS = 5_000;
/** Payments nudged in the last few seconds with no poll here; beyond it the oldest is forgotten. */
const UNCLAIMED_CAPACITY = 10_000;
