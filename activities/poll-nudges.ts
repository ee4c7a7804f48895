/**
 * Lets a webhook's wake reach the poll of its payment without cancelling it. The poll registers
 * while it sleeps between reads; the workflow's `nudgePoll` local activity, running in the same
 * worker process, ends that sleep so the next read happens now. A nudge for a poll that runs in
 * another process finds nothing here, and that poll sees the change at its next tick instead.
 */
export class PollNudges {
  private readonly sleepers = new Map<string, Set<() => void>>();

  /** Resolves when `paymentId` is nudged; `release` forgets the registration. */
  register(paymentId: string): { nudged: Promise<void>; release: () => void } {
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

  /** Wakes every poll of `paymentId` sleeping in this process; false when there is none. */
  nudge(paymentId: string): boolean {
    const sleepers = this.sleepers.get(paymentId);
    if (!sleepers || sleepers.size === 0) return false;
    for (const wake of sleepers) wake();
    return true;
  }

  /** How many polls are sleeping here now (a gauge for operators). */
  get size(): number {
    return this.sleepers.size;
  }
}
