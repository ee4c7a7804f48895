/**
 * The till's side of the POS API as a real POS behaves when the service is in trouble: a 5xx, a
 * refused or reset connection, or no answer at all is met by sending the very same request again
 * (same ids, same refund_id, same body: the contract makes them idempotent) after a pause, until
 * the service answers or the till gives up. Every repeat is counted by why it was needed.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { describeAnswer, type PosApi } from '../api';
import { CallFailed, type Answer } from '../http';
import { Tally } from '../stats';

/** One attempt may wait this long: a command waits for the provider call behind it, which a worker restart delays. */
const ATTEMPT_TIMEOUT_MS = 60_000;
const RETRY_PAUSE_MS = 1000;

export class RetryingPos {
  /** Repeats by what was sent and why (`refund: 503 temporal_unavailable`, `create: network`). */
  readonly repeats = new Tally();

  constructor(
    readonly api: PosApi,
    private readonly signal: AbortSignal,
    /** A till gives up on one command after this long. */
    private readonly giveUpMs: number,
  ) {}

  /** Answers the first answer below 500; throws when the till gives up or the campaign stops. */
  async send<T>(what: string, method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown): Promise<Answer<T>> {
    const giveUpAt = Date.now() + this.giveUpMs;
    for (;;) {
      let reason: string;
      try {
        const answer = await this.api.send<T>(method, path, { body, timeoutMs: ATTEMPT_TIMEOUT_MS, signal: this.signal });
        if (answer.status < 500) return answer;
        reason = describeAnswer(answer);
      } catch (error) {
        if (!(error instanceof CallFailed) || error.kind === 'stopped') throw error;
        reason = error.kind;
      }
      if (Date.now() > giveUpAt) throw new Error(`${what} ${path}: no answer below 500 within ${this.giveUpMs / 1000} s (last: ${reason})`);
      this.repeats.count(`${what}: ${reason}`);
      await delay(RETRY_PAUSE_MS, undefined, { signal: this.signal });
    }
  }
}
