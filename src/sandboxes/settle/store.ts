/**
 * In-memory state of one sandbox: payment requests, shortlinks and scans, with the look-ups the
 * protocol needs (idempotency on pos_id+pos_tid, matching scans to static-QR requests).
 */
import { newShortlinkId } from './ids';
import { customerReached, STATUS, type PaymentRecord, type Scan, type Shortlink } from './model';

export class SandboxStore {
  private readonly payments = new Map<string, PaymentRecord>();
  private readonly tidByPosTid = new Map<string, string>();
  private readonly shortlinks = new Map<string, Shortlink>();
  private readonly scans = new Map<string, Scan>();

  constructor(private readonly preRegistered: readonly { id: string; callbackUri: string }[]) {
    this.reset();
  }

  /** Forgets everything except the configured shortlinks (restored to their configured callback). */
  reset(): void {
    this.payments.clear();
    this.tidByPosTid.clear();
    this.scans.clear();
    this.shortlinks.clear();
    for (const link of this.preRegistered) {
      this.shortlinks.set(link.id, { id: link.id, callbackUri: link.callbackUri, preRegistered: true });
    }
  }

  addPayment(record: PaymentRecord): void {
    this.payments.set(record.tid, record);
    this.tidByPosTid.set(posKey(record.request.pos_id, record.request.pos_tid), record.tid);
  }

  getPayment(tid: string): PaymentRecord | undefined {
    return this.payments.get(tid);
  }

  findByPosTid(posId: string, posTid: string): PaymentRecord | undefined {
    const tid = this.tidByPosTid.get(posKey(posId, posTid));
    return tid === undefined ? undefined : this.payments.get(tid);
  }

  listPayments(filter: { posId?: string; posTid?: string }): PaymentRecord[] {
    return [...this.payments.values()].filter(
      (record) =>
        (filter.posId === undefined || record.request.pos_id === filter.posId) &&
        (filter.posTid === undefined || record.request.pos_tid === filter.posTid),
    );
  }

  allPayments(): PaymentRecord[] {
    return [...this.payments.values()];
  }

  addShortlink(callbackUri: string | null): Shortlink {
    let id = newShortlinkId();
    while (this.shortlinks.has(id)) id = newShortlinkId();
    const link: Shortlink = { id, callbackUri, preRegistered: false };
    this.shortlinks.set(id, link);
    return link;
  }

  getShortlink(id: string): Shortlink | undefined {
    return this.shortlinks.get(id);
  }

  listShortlinks(): Shortlink[] {
    return [...this.shortlinks.values()];
  }

  addScan(scan: Scan): void {
    this.scans.set(scan.token, scan);
  }

  getScan(token: string): Scan | undefined {
    return this.scans.get(token);
  }

  /** The newest scan of a shortlink not yet given to a request, if made at or after `notBefore`. */
  latestFreeScan(shortlinkId: string, notBefore: Date): Scan | undefined {
    return [...this.scans.values()]
      .filter((scan) => scan.shortlinkId === shortlinkId && scan.assignedTid === null && scan.at >= notBefore)
      .sort((a, b) => b.at.getTime() - a.at.getTime())[0];
  }

  /** The oldest still-pending static-QR request on a shortlink that no scan has reached yet. */
  oldestWaitingRequest(shortlinkId: string): PaymentRecord | undefined {
    return [...this.payments.values()]
      .filter((record) => record.shortlinkId === shortlinkId && record.status === STATUS.PENDING && !customerReached(record))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())[0];
  }
}

function posKey(posId: string, posTid: string): string {
  return JSON.stringify([posId, posTid]);
}
