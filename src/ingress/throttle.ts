/**
 * Bounded, time-based throttles for what strangers can trigger at will: log lines about rejected
 * webhooks, and unauthenticated hints (SEQR's notificationUrl) per payment. Both keep a fixed
 * maximum of keys, so a flood of distinct keys costs memory once, never more.
 */

/**
 * At most one admitted event per key per `intervalMs`; the rest are refused. Keys live in a Map kept
 * in admission order (re-admitting moves a key to the end), so the first key is always the one
 * admitted longest ago: beyond `capacity` keys it is dropped, and it is the one that matters least
 * (dropping a key only means its next event is admitted).
 */
export class PerKeyRateLimit {
  private readonly admittedAt = new Map<string, number>();

  constructor(
    private readonly intervalMs: number,
    private readonly capacity = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  admit(key: string): boolean {
    const now = this.now();
    const last = this.admittedAt.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    this.admittedAt.delete(key);
    this.admittedAt.set(key, now);
    if (this.admittedAt.size > this.capacity) this.admittedAt.delete(this.admittedAt.keys().next().value as string);
    return true;
  }

  /** Keys currently remembered (for tests: never above capacity). */
  get size(): number {
    return this.admittedAt.size;
  }
}

/**
 * Log lines of one kind at most once per `intervalMs` per key; a line written after some were held
 * back says how many. Counting (metrics) is the caller's business and stays exact: only the log is
 * thinned.
 */
export class ThrottledLog {
  private readonly windows = new Map<string, { openedAt: number; suppressed: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly write: (line: string) => void,
    private readonly capacity = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Writes `line` unless a line of `key` was written less than `intervalMs` ago; returns whether it did. */
  log(key: string, line: string): boolean {
    const now = this.now();
    const window = this.windows.get(key);
    if (window && now - window.openedAt < this.intervalMs) {
      window.suppressed += 1;
      return false;
    }
    const held = window?.suppressed ?? 0;
    this.windows.delete(key);
    this.windows.set(key, { openedAt: now, suppressed: 0 });
    if (this.windows.size > this.capacity) this.windows.delete(this.windows.keys().next().value as string);
    this.write(held > 0 ? `${line} (${held} more like it since the last such line were not logged)` : line);
    return true;
  }
}
