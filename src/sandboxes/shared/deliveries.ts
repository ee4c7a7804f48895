/**
 * Outgoing webhook/callback deliveries: fire-and-forget so no API answer ever waits on a receiver,
 * retried on failure with a short backoff, every attempt logged for the control API, and the two
 * misbehaviours providers warn about (duplicates, reordering) injectable on demand. The message
 * itself (envelope, signature, headers) is the provider sandbox's business.
 *
 * Deliveries in one lane (by default: to one URL) start in the order they were sent: the next one
 * waits until the previous one's first attempt has been answered. Without that, two events sent a
 * millisecond apart could arrive in either order and a test could never tell injected reordering
 * from chance. Retries run outside that order, as they would at any provider.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';

export interface DeliveryPolicy {
  /** Prefix of log lines, e.g. `tabby-sandbox`. */
  name: string;
  /** Whether the receiver's status counts as received. */
  acknowledged(status: number): boolean;
  /** Whether a failed attempt is tried again; `null` is a network error or timeout. */
  retryable(status: number | null): boolean;
  /** Waits before the 2nd, 3rd, … attempt; their count is the number of retries. */
  retryDelaysMs: readonly number[];
}

/** One message to one URL; `labels` say what it is about and are copied into every log entry. */
export interface Delivery<L extends object> {
  url: string;
  headers: Record<string, string>;
  body: string;
  labels: L;
  /**
   * Deliveries in one lane start in the order they were sent (see above); the default lane is the
   * URL. Messages about nothing in common (two customers' scans to one shortlink URL) name lanes of
   * their own, so a slow receiver answering one does not hold the others back.
   */
  lane?: string;
}

export type DeliveryAttempt<L extends object> = L & {
  url: string;
  attempt: number;
  /** Receiver's HTTP status, null when the request never got an answer. */
  status: number | null;
  error: string | null;
  /** True for the second copy sent by the duplicate fault. */
  duplicate: boolean;
  /** True for a copy the reorder fault held back and sent after a later one. */
  reordered: boolean;
  at: string;
};

type Copy<L extends object> = Delivery<L> & { duplicate: boolean; reordered: boolean };

const RECEIVER_TIMEOUT_MS = 5_000;
/** Held (reordered) deliveries go out after this long even if nothing follows them, so none is lost. */
export const REORDER_HOLD_MS = 2_000;

export class Deliveries<L extends object> {
  private attempts: DeliveryAttempt<L>[] = [];
  private duplicatesLeft = 0;
  private holdsLeft = 0;
  private held: Copy<L>[] = [];
  private holdTimer: NodeJS.Timeout | undefined;
  private lanes = new Map<string, Promise<void>>();
  private stopping = new AbortController();
  // Own connection pool, so closing the sandbox leaves no keep-alive sockets to its receivers.
  private readonly agent = new Agent({ keepAliveTimeout: 1_000, headersTimeout: RECEIVER_TIMEOUT_MS, bodyTimeout: RECEIVER_TIMEOUT_MS });

  constructor(private readonly policy: DeliveryPolicy) {}

  send(delivery: Delivery<L>): void {
    const copies: Copy<L>[] = [{ ...delivery, duplicate: false, reordered: false }];
    if (this.duplicatesLeft > 0) {
      this.duplicatesLeft--;
      copies.push({ ...delivery, duplicate: true, reordered: false });
    }
    if (this.holdsLeft > 0) {
      this.holdsLeft--;
      this.held.push(...copies.map((copy) => ({ ...copy, reordered: true })));
      this.holdTimer ??= setTimeout(() => this.releaseHeld(), REORDER_HOLD_MS).unref();
      return;
    }
    for (const copy of copies) this.enqueue(copy);
    this.releaseHeld();
  }

  /** The next `times` deliveries are each sent twice, byte for byte. */
  duplicateNext(times: number): void {
    this.duplicatesLeft += times;
  }

  /**
   * The next `times` deliveries are held back; when the delivery after them is sent, it goes
   * first and the held ones follow, newest first (A, B held, then C: C, B, A). If nothing follows
   * within REORDER_HOLD_MS, the held ones go out newest first on their own.
   */
  reorderNext(times: number): void {
    this.holdsLeft += times;
  }

  /** The duplicate and reorder faults not used up yet: a test asserts its injected ones fired. */
  pending(): { duplicates: number; reorders: number; held: number } {
    return { duplicates: this.duplicatesLeft, reorders: this.holdsLeft, held: this.held.length };
  }

  log(): DeliveryAttempt<L>[] {
    return [...this.attempts];
  }

  /** Stops deliveries in flight, drops held ones and forgets the log and pending faults. */
  reset(): void {
    this.stop();
    this.stopping = new AbortController();
    this.attempts = [];
    this.duplicatesLeft = 0;
    this.holdsLeft = 0;
  }

  async close(): Promise<void> {
    this.stop();
    await this.agent.destroy();
  }

  private stop(): void {
    this.stopping.abort();
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    this.held = [];
    this.lanes = new Map();
  }

  private releaseHeld(): void {
    clearTimeout(this.holdTimer);
    this.holdTimer = undefined;
    const held = this.held.reverse();
    this.held = [];
    for (const copy of held) this.enqueue(copy);
  }

  /** Starts `copy` once the previous delivery in its lane has had its first answer. */
  private enqueue(copy: Copy<L>): void {
    const signal = this.stopping.signal;
    const lane = copy.lane ?? copy.url;
    const lanes = this.lanes;
    const previous = lanes.get(lane) ?? Promise.resolve();
    let firstAnswered = () => {};
    const answered = new Promise<void>((resolve) => (firstAnswered = resolve));
    lanes.set(lane, answered);
    // A lane nothing waits in any more is forgotten, so one-off lanes (a scan each) do not pile up.
    void answered.then(() => {
      if (lanes.get(lane) === answered) lanes.delete(lane);
    });
    previous
      .then(() => this.deliver(copy, signal, firstAnswered))
      .catch((error: unknown) => {
        if (!signal.aborted) console.warn(`[${this.policy.name}] delivery to ${copy.url} crashed:`, error);
      });
  }

  private async deliver(copy: Copy<L>, signal: AbortSignal, firstAnswered: () => void): Promise<void> {
    try {
      for (let attempt = 1; ; attempt++) {
        const result = await this.post(copy, signal);
        if (attempt === 1) firstAnswered();
        if (signal.aborted) return;
        this.attempts.push({ ...copy.labels, url: copy.url, attempt, status: result.status, error: result.error, duplicate: copy.duplicate, reordered: copy.reordered, at: new Date().toISOString() });
        if (result.status !== null && this.policy.acknowledged(result.status)) return;
        const delay = this.policy.retryDelaysMs[attempt - 1];
        if (!this.policy.retryable(result.status) || delay === undefined) {
          console.warn(`[${this.policy.name}] delivery to ${copy.url} failed after ${attempt} attempt(s): ${result.error ?? `HTTP ${result.status}`}`);
          return;
        }
        await sleep(delay, undefined, { signal, ref: false });
      }
    } finally {
      firstAnswered();
    }
  }

  private async post(copy: Copy<L>, signal: AbortSignal): Promise<{ status: number | null; error: string | null }> {
    try {
      const response = await request(copy.url, { method: 'POST', headers: copy.headers, body: copy.body, dispatcher: this.agent, signal });
      // Receivers may answer with a body (Settle's shortlink scan answer); nobody reads it here.
      await response.body.dump();
      return { status: response.statusCode, error: null };
    } catch (error) {
      return { status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
