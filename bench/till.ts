/**
 * A till watching one payment the way every till does: a long poll (`wait_for_version`) re-issued
 * as soon as it answers, for as long as the payment is on its screen. Steps of a flow wait on what
 * the till saw, with the moment it saw it, so latencies are measured where the till is.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { describeAnswer, LONG_POLL_SECONDS, type PaymentView, type PosApi } from './api';
import { CallFailed } from './http';
import { Tally } from './stats';

/** A long poll answered this much after its own timeout is "late": the ingress could not keep up. */
const LATE_AFTER_MS = (LONG_POLL_SECONDS + 5) * 1000;
/** After a failed long poll (refused, 5xx, given up), the till asks again after this pause, as a real one would. */
const RETRY_PAUSE_MS = 1000;

/** Counts over all tills, reset per measurement window. */
export class LongPollCounts {
  answered = 0;
  late = 0;
  private readonly failures = new Tally();

  reset(): void {
    this.answered = 0;
    this.late = 0;
    this.failures.clear();
  }

  fail(reason: string): void {
    this.failures.count(reason);
  }

  describe(): string {
    const failed = this.failures.total;
    return `long polls ${this.answered} answered, ${this.late} after >${LATE_AFTER_MS / 1000} s, ${failed} failed${failed > 0 ? ` (${this.failures.describe(2)})` : ''}`;
  }
}

export interface Seen<P extends PaymentView = PaymentView> {
  payment: P;
  /** performance.now() when the answer that showed it arrived. */
  at: number;
}

interface Waiter<P extends PaymentView> {
  predicate: (payment: P) => boolean;
  resolve: (seen: Seen<P>) => void;
  reject: (error: Error) => void;
}

/** `P`: the payment fields the caller reads (the bench needs few; the chaos campaign reads the whole resource). */
export class Till<P extends PaymentView = PaymentView> {
  private latest: Seen<P>;
  private readonly waiters = new Set<Waiter<P>>();
  private readonly stopped = new AbortController();
  private readonly onRunStopped = () => this.stop();

  constructor(
    private readonly pos: PosApi,
    first: P,
    private readonly counts: LongPollCounts,
    private readonly runSignal: AbortSignal,
  ) {
    this.latest = { payment: first, at: performance.now() };
    runSignal.addEventListener('abort', this.onRunStopped, { once: true });
    void this.watch();
  }

  get payment(): P {
    return this.latest.payment;
  }

  /** Resolves with the first answer (or the current one) for which `predicate` holds. */
  until(predicate: (payment: P) => boolean, timeoutMs: number, what: string): Promise<Seen<P>> {
    if (predicate(this.latest.payment)) return Promise.resolve(this.latest);
    if (this.stopped.signal.aborted) return Promise.reject(new Error(`the till of ${this.latest.payment.id} stopped watching`));
    return new Promise<Seen<P>>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${this.latest.payment.id} did not reach "${what}" within ${timeoutMs} ms (it is ${this.latest.payment.state}, version ${this.latest.payment.version})`));
      }, timeoutMs);
      const waiter: Waiter<P> = {
        predicate,
        resolve: (seen) => { clearTimeout(timer); resolve(seen); },
        reject: (error) => { clearTimeout(timer); reject(error); },
      };
      this.waiters.add(waiter);
    });
  }

  /** Stops long-polling; whoever still waits on this till hears so at once. */
  stop(): void {
    this.runSignal.removeEventListener('abort', this.onRunStopped);
    this.stopped.abort();
    for (const waiter of this.waiters) waiter.reject(new Error(`the till of ${this.latest.payment.id} stopped watching`));
    this.waiters.clear();
  }

  private async watch(): Promise<void> {
    const signal = this.stopped.signal;
    while (!signal.aborted) {
      try {
        const answer = await this.pos.longPoll<P>(this.latest.payment.id, this.latest.payment.version, signal);
        if (answer.status !== 200) throw new Error(`answered ${describeAnswer(answer)}`);
        this.counts.answered += 1;
        if (answer.ms > LATE_AFTER_MS) this.counts.late += 1;
        if (answer.body.version >= this.latest.payment.version) this.see({ payment: answer.body, at: performance.now() });
      } catch (error) {
        if (signal.aborted) return;
        this.counts.fail(error instanceof CallFailed ? error.kind : error instanceof Error ? error.message : String(error));
        await delay(RETRY_PAUSE_MS, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private see(seen: Seen<P>): void {
    this.latest = seen;
    for (const waiter of [...this.waiters]) {
      if (waiter.predicate(seen.payment)) {
        this.waiters.delete(waiter);
        waiter.resolve(seen);
      }
    }
  }
}
