/**
 * The poll's two clocks: when it reads the provider next, and when it tells Temporal it is alive.
 * Both are pure, so their rules are tested without timers.
 */

/**
 * When the read after one that began at `began` (due at `due`) is due. The cadence is a rate: one
 * interval after the previous read was due, so a slow read or a late timer does not stretch it (a
 * read that took 200 ms of a 1 s cadence used to make the provider see one read per 1.2 s). Ticks
 * already past are skipped, never read in a burst: a worker that falls behind reads less often,
 * never more often than the provider was promised. A read nudged early by a webhook starts the
 * cadence again from itself.
 */
export function nextReadDue(due: number, began: number, intervalMs: number, now: number): number {
  const next = Math.min(due, began) + intervalMs;
  return next > now ? next : next + (Math.floor((now - next) / intervalMs) + 1) * intervalMs;
}

/**
 * Passes on at most one heartbeat per `everyMs`. Each heartbeat crosses into the SDK's core (encoded,
 * queued, recorded): at one per read that was about a fifth of the worker's CPU with 2,000 customers
 * waiting, while the core sends Temporal at most one per 80 % of the heartbeat timeout whatever the
 * rate, the latest it holds. Paced at an eighth of the timeout, the core still holds a fresh one at
 * each of those sends.
 */
export function pacedHeartbeat(heartbeat: () => void, everyMs: number, now: () => number = () => performance.now()): () => void {
  let last = Number.NEGATIVE_INFINITY;
  return () => {
    const at = now();
    if (at - last < everyMs) return;
    last = at;
    heartbeat();
  };
}
