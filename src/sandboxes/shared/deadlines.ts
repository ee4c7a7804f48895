/**
 * One pending deadline per key (e.g. the expiry of a payment's current state), kept as unref'd
 * timers so a sandbox never holds the process open, and all cancelled on close.
 */

/** setTimeout overflows above 2^31-1 ms (~24.8 days) and would fire at once; a deadline may be 30 days away. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class Deadlines {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  /** Replaces any deadline already set for `key`. */
  set(key: string, at: Date, onExpiry: () => void): void {
    this.cancel(key);
    const wait = at.getTime() - Date.now();
    const timer = setTimeout(() => {
      this.timers.delete(key);
      // A far deadline is reached in hops; each hop re-measures the distance left.
      if (wait > MAX_TIMER_MS) this.set(key, at, onExpiry);
      else onExpiry();
    }, Math.min(Math.max(wait, 0), MAX_TIMER_MS));
    timer.unref();
    this.timers.set(key, timer);
  }

  cancel(key: string): void {
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
  }

  cancelAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
