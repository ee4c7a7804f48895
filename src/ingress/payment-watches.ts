/**
 * Long polls that need no worker. A payment publishes every version in its memo (PAYMENT_MEMO); each
 * upsert is a `WorkflowPropertiesModified` event in its history. One watch per payment follows that
 * history with Temporal's own long poll (`GetWorkflowExecutionHistory` with `waitNewEvent`), and
 * hands each version it finds to every till waiting on the payment through this ingress.
 *
 * Why this and not a workflow update per long poll: an update is a workflow task on a worker for every
 * new version a till waits for (and a replay when the payment is not cached); following the history
 * is a server-side wait on events the payment writes anyway. It works across ingresses because each
 * one reads the same history: a webhook delivered to one ingress wakes tills waiting on another.
 *
 * A watch lives while tills wait, and LINGER_MS after the last leaves, so the till's next long poll
 * (it asks again at once) finds it running instead of reading the history from its start again.
 */
import type { Client } from '@temporalio/client';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { temporal } from '@temporalio/proto';
import { PAYMENT_MEMO, type PublishedPayment } from '../../workflows/messages';
import { deadline } from './deadline';

const LINGER_MS = 5_000;
/**
 * Temporal answers a history long poll after ~20 s without events (its long-poll expiration); this
 * bounds one call in case it never does.
 */
const LONG_POLL_BOUND_MS = 60_000;
/** A payment's history is a few hundred events at most: one page reads it whole. */
const PAGE_SIZE = 1_000;

/** What a waiting till gets: a newer version, or word that the payment's workflow has closed. */
export type WatchOutcome = { kind: 'version'; payment: PublishedPayment } | { kind: 'closed' };

interface Waiter {
  knownVersion: number;
  settle(outcome: WatchOutcome | Error | null): void;
}

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

const CLOSE_EVENTS: readonly (keyof HistoryEvent)[] = [
  'workflowExecutionCompletedEventAttributes',
  'workflowExecutionFailedEventAttributes',
  'workflowExecutionTimedOutEventAttributes',
  'workflowExecutionCanceledEventAttributes',
  'workflowExecutionTerminatedEventAttributes',
  'workflowExecutionContinuedAsNewEventAttributes',
];

class Watch {
  private readonly waiters = new Set<Waiter>();
  private latest: PublishedPayment | null = null;
  /** The payment's workflow has closed: no version will follow `latest`. */
  private workflowClosed = false;
  private readonly stopping = new AbortController();
  private lingerTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: Client,
    private readonly paymentId: string,
    private readonly ended: () => void,
  ) {
    void this.follow();
  }

  get latestSeen(): PublishedPayment | null {
    return this.stopping.signal.aborted ? null : this.latest;
  }

  /** Resolves with the first version above `knownVersion`, `closed`, or null when `abandoned` fires first. */
  wait(knownVersion: number, abandoned: AbortSignal): Promise<WatchOutcome | null> {
    if (this.latest !== null && this.latest.version > knownVersion) return Promise.resolve({ kind: 'version', payment: this.latest });
    if (this.workflowClosed) return Promise.resolve({ kind: 'closed' });
    if (this.stopping.signal.aborted) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      const leave = () => {
        this.waiters.delete(waiter);
        if (this.waiters.size === 0) this.linger();
      };
      const waiter: Waiter = {
        knownVersion,
        settle: (outcome) => {
          abandoned.removeEventListener('abort', onAbandoned);
          leave();
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        },
      };
      const onAbandoned = () => {
        leave();
        resolve(null);
      };
      if (abandoned.aborted) return void resolve(null);
      abandoned.addEventListener('abort', onAbandoned, { once: true });
      if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
      this.waiters.add(waiter);
    });
  }

  private linger(): void {
    if (this.lingerTimer !== null || this.stopping.signal.aborted) return;
    this.lingerTimer = setTimeout(() => this.stop(), LINGER_MS);
    this.lingerTimer.unref();
  }

  /** Ends the watch: its long poll is cancelled, and tills still waiting answer as at their deadline. */
  stop(): void {
    if (this.stopping.signal.aborted) return;
    this.stopping.abort();
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    for (const waiter of [...this.waiters]) waiter.settle(null);
    this.ended();
  }

  /** Reads the history from its start, then waits on it event by event until the workflow closes or nobody waits. */
  private async follow(): Promise<void> {
    let nextPageToken: Uint8Array | undefined;
    try {
      while (!this.stopping.signal.aborted) {
        const page = await this.longPoll(nextPageToken);
        if (page === null) continue;
        await this.take(page.history?.events ?? []);
        // No token: the workflow has closed and its history is complete.
        if (!page.nextPageToken || page.nextPageToken.length === 0) return;
        nextPageToken = page.nextPageToken;
      }
    } catch (error) {
      if (!this.stopping.signal.aborted) this.settleAll(error instanceof Error ? error : new Error(String(error)));
    } finally {
      this.stop();
    }
  }

  /** One history long poll from `nextPageToken`; null when it outlived LONG_POLL_BOUND_MS (ask again). */
  private async longPoll(nextPageToken: Uint8Array | undefined): Promise<temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryResponse | null> {
    const { client } = this;
    // A signal per call, not the watch's own: the client leaves a listener on the signal it is given.
    const call = deadline(LONG_POLL_BOUND_MS, this.stopping.signal);
    try {
      return await client.withAbortSignal(call.signal, () =>
        client.workflowService.getWorkflowExecutionHistory({
          namespace: client.options.namespace,
          execution: { workflowId: this.paymentId },
          nextPageToken,
          waitNewEvent: true,
          maximumPageSize: PAGE_SIZE,
        }));
    } catch (error) {
      if (call.signal.aborted && !this.stopping.signal.aborted) return null;
      throw error;
    } finally {
      call.clear();
    }
  }

  private async take(events: HistoryEvent[]): Promise<void> {
    // Only the newest version in a page matters: a till asks for whatever is newer than it knows.
    let newest: temporal.api.common.v1.IPayload | null = null;
    let closed = false;
    for (const event of events) {
      newest = event.workflowPropertiesModifiedEventAttributes?.upsertedMemo?.fields?.[PAYMENT_MEMO] ?? newest;
      if (CLOSE_EVENTS.some((attributes) => event[attributes])) closed = true;
    }
    if (newest !== null) {
      const fields = await decodeMapFromPayloads(this.client.options.loadedDataConverter, { [PAYMENT_MEMO]: newest });
      const latest = fields?.[PAYMENT_MEMO] as PublishedPayment;
      this.latest = latest;
      for (const waiter of [...this.waiters]) {
        if (latest.version > waiter.knownVersion) waiter.settle({ kind: 'version', payment: latest });
      }
    }
    if (closed) {
      this.workflowClosed = true;
      this.settleAll({ kind: 'closed' });
    }
  }

  private settleAll(outcome: WatchOutcome | Error | null): void {
    for (const waiter of [...this.waiters]) waiter.settle(outcome);
  }
}

/** The watches of this ingress, one per payment that tills wait on. */
export class PaymentWatches {
  private readonly watches = new Map<string, Watch>();

  /**
   * `closing` fires before the client's connection closes: every watch stops then, since a long poll
   * still in flight would be retried by the client on a closed connection.
   */
  constructor(
    private readonly client: Client,
    private readonly closing: AbortSignal,
  ) {
    closing.addEventListener('abort', () => {
      for (const watch of this.watches.values()) watch.stop();
    }, { once: true });
  }

  /** Payments watched now. */
  get size(): number {
    return this.watches.size;
  }

  /** The newest version a running watch has seen of `paymentId`, if one runs: no need to ask Temporal. */
  latest(paymentId: string): PublishedPayment | null {
    return this.watches.get(paymentId)?.latestSeen ?? null;
  }

  /**
   * Resolves with the first version of `paymentId` above `knownVersion`, `closed`, or null once
   * `abandoned` fires (or the ingress is closing).
   */
  next(paymentId: string, knownVersion: number, abandoned: AbortSignal): Promise<WatchOutcome | null> {
    if (this.closing.aborted) return Promise.resolve(null);
    let watch = this.watches.get(paymentId);
    if (watch === undefined) {
      const created: Watch = new Watch(this.client, paymentId, () => {
        if (this.watches.get(paymentId) === created) this.watches.delete(paymentId);
      });
      watch = created;
      this.watches.set(paymentId, watch);
    }
    return watch.wait(knownVersion, abandoned);
  }
}
