/**
 * Outgoing callbacks (settle.md §6): Settle's message envelope, signed with the sandbox's own key
 * the way Settle signs (§6.3), handed to the shared delivery queue (fire-and-forget, retried,
 * logged for the control API).
 */
import { Deliveries, type DeliveryAttempt } from '../shared/deliveries';
import { newMessageId } from './ids';
import { callbackHeaders, settleClock } from './rsa-auth';

interface CallbackLabels {
  message_id: string;
  event: string;
  /** Payment request the message is about; null for shortlink_scanned. */
  tid: string | null;
}

export type CallbackAttempt = DeliveryAttempt<CallbackLabels>;

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

export class CallbackSender extends Deliveries<CallbackLabels> {
  private seqno = 0;

  /**
   * Retry policy is undocumented (settle.md §6.4, open question 3); a few quick retries on network
   * errors and 5xx model "at least once, possibly never" without slowing tests down.
   */
  constructor(private readonly privateKeyPem: string) {
    super({
      name: 'settle-sandbox',
      acknowledged: (status) => status < 300,
      retryable: (status) => status === null || status >= 500,
      retryDelaysMs: [100, 300, 900],
    });
  }

  /**
   * Signs and queues one message. The body always carries `object`: Settle leaves it out for plain
   * http:// receivers, but the sandbox and its receivers run on plain HTTP, where that would make
   * every callback a bare notification pointing at an http `meta.uri`.
   */
  notify(url: string, event: string, about: { tid: string | null; uri: string | null; object: unknown }): void {
    const now = new Date();
    const message: CallbackMessage = {
      meta: {
        id: newMessageId(),
        event,
        uri: about.uri,
        seqno: this.seqno++,
        labels: [],
        context: `ctx:${newMessageId()}`,
        timestamp: settleClock(now),
      },
      object: about.object,
    };
    const body = JSON.stringify(message);
    // Signed over the URL exactly as registered, with only the digest and timestamp headers (§6.3).
    const headers = {
      ...callbackHeaders(url, body, now, this.privateKeyPem),
      'Content-Type': 'application/json',
    };
    // Callbacks about one payment request keep their order; a scan is about none, and every
    // customer's scan goes to the same shortlink URL, so each scan is a lane of its own.
    const lane = about.tid === null ? `${url} ${message.meta.id}` : undefined;
    this.send({ url, headers, body, labels: { message_id: message.meta.id, event, tid: about.tid }, lane });
  }
}
