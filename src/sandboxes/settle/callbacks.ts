/**
 * Outgoing callbacks (settle.md §6): Settle's message envelope, signed with the sandbox's own key
 * the way Settle signs (§6.3), delivered fire-and-forget so no API answer ever waits on a
 * receiver. Every attempt is recorded for the control API.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import { settleTimestamp, signRequest } from '../../../activities/settle/signature';
import { newMessageId } from './ids';

export interface CallbackAttempt {
  message_id: string;
  event: string;
  url: string;
  /** Payment request the message is about; null for shortlink_scanned. */
  tid: string | null;
  attempt: number;
  /** Receiver's HTTP status, null when the request never got an answer. */
  status: number | null;
  error: string | null;
  /** True for the second copy sent by the duplicate-callbacks fault. */
  duplicate: boolean;
  at: string;
}

export interface CallbackMessage {
  meta: {
    id: string;
    event: string;
    uri: string | null;
    seqno: number;
    labels: string[];
    context: string;
    timestamp: string;
  };
  object: unknown;
}

interface Delivery {
  url: string;
  event: string;
  tid: string | null;
  messageId: string;
  body: string;
  headers: Record<string, string>;
  duplicate: boolean;
}

/**
 * Retry policy is undocumented (settle.md §6.4, open question 3); a few quick retries on network
 * errors and 5xx model "at least once, possibly never" without slowing tests down.
 */
const RETRY_DELAYS_MS = [100, 300, 900];
const RECEIVER_TIMEOUT_MS = 5_000;

export class CallbackSender {
  private attempts: CallbackAttempt[] = [];
  private duplicatesLeft = 0;
  private seqno = 0;
  private stopping = new AbortController();
  // Own connection pool, so closing the sandbox leaves no keep-alive sockets to its receivers.
  private readonly agent = new Agent({ keepAliveTimeout: 1_000, headersTimeout: RECEIVER_TIMEOUT_MS, bodyTimeout: RECEIVER_TIMEOUT_MS });

  constructor(private readonly privateKeyPem: string) {}

  /**
   * Signs and queues one message. The body always carries `object`: Settle leaves it out for plain
   * http:// receivers, but the sandbox and its receivers run on plain HTTP, where that would make
   * every callback a bare notification pointing at an http `meta.uri`.
   */
  send(url: string, event: string, about: { tid: string | null; uri: string | null; object: unknown }): void {
    const now = new Date();
    const message: CallbackMessage = {
      meta: {
        id: newMessageId(),
        event,
        uri: about.uri,
        seqno: this.seqno++,
        labels: [],
        context: `ctx:${newMessageId()}`,
        timestamp: settleTimestamp(now),
      },
      object: about.object,
    };
    const body = JSON.stringify(message);
    // Signed over the URL exactly as registered, with only the digest and timestamp headers (§6.3).
    const headers = {
      ...signRequest({ method: 'POST', url, body, identity: {}, privateKeyPem: this.privateKeyPem, now }),
      'Content-Type': 'application/json',
    };
    const delivery: Delivery = { url, event, tid: about.tid, messageId: message.meta.id, body, headers, duplicate: false };
    this.start(delivery);
    if (this.duplicatesLeft > 0) {
      this.duplicatesLeft--;
      this.start({ ...delivery, duplicate: true });
    }
  }

  /** The next `times` messages are each delivered twice, byte for byte (same meta.id). */
  duplicateNext(times: number): void {
    this.duplicatesLeft += times;
  }

  log(): CallbackAttempt[] {
    return [...this.attempts];
  }

  /** Stops deliveries in flight and forgets the log. */
  reset(): void {
    this.stopping.abort();
    this.stopping = new AbortController();
    this.attempts = [];
    this.duplicatesLeft = 0;
  }

  async close(): Promise<void> {
    this.stopping.abort();
    await this.agent.destroy();
  }

  private start(delivery: Delivery): void {
    const signal = this.stopping.signal;
    this.deliver(delivery, signal).catch((error: unknown) => {
      if (!signal.aborted) console.warn(`[settle-sandbox] callback ${delivery.event} to ${delivery.url} crashed:`, error);
    });
  }

  private async deliver(delivery: Delivery, signal: AbortSignal): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const result = await this.post(delivery, signal);
      if (signal.aborted) return;
      this.attempts.push({
        message_id: delivery.messageId,
        event: delivery.event,
        url: delivery.url,
        tid: delivery.tid,
        attempt,
        status: result.status,
        error: result.error,
        duplicate: delivery.duplicate,
        at: new Date().toISOString(),
      });
      if (result.status !== null && result.status < 300) return;
      const retryable = result.status === null || result.status >= 500;
      const delay = RETRY_DELAYS_MS[attempt - 1];
      if (!retryable || delay === undefined) {
        console.warn(
          `[settle-sandbox] callback ${delivery.event} to ${delivery.url} failed after ${attempt} attempt(s): ${result.error ?? `HTTP ${result.status}`}`,
        );
        return;
      }
      await sleep(delay, undefined, { signal, ref: false });
    }
  }

  private async post(delivery: Delivery, signal: AbortSignal): Promise<{ status: number | null; error: string | null }> {
    try {
      const response = await request(delivery.url, {
        method: 'POST',
        headers: delivery.headers,
        body: delivery.body,
        dispatcher: this.agent,
        signal,
      });
      // The receiver may answer a shortlink scan with {text, uri, next} for the app; nobody reads it here.
      await response.body.dump();
      return { status: response.statusCode, error: null };
    } catch (error) {
      return { status: null, error: error instanceof Error ? error.message : String(error) };
    }
  }
}
