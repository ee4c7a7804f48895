/**
 * The sandbox's behaviour around the state machine: creating requests and matching customers,
 * applying merchant and customer actions, keeping each request's expiry deadline, logging every
 * action, and sending the callback each change calls for.
 */
import type { CallbackSender } from './callbacks';
import { MERCHANT_API_PATH, type ResolvedConfig } from './config';
import type { Deadlines } from '../shared/deadlines';
import { conflict, fieldError, notFound, type Refusal } from './errors';
import { newScanToken, newTid } from './ids';
import { STATUS, type ActionLogEntry, type PaymentRecord, type Scan } from './model';
import { toOutcome } from './outcome';
import type { CreatePaymentRequest, UpdatePaymentRequest } from './schemas';
import type { SandboxStore } from './store';
import { approve, expire, merchantAction, reject, type Transition } from './transitions';

/** Scan tokens are valid about a day (settle.md §7). */
const SCAN_TOKEN_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Settle's MSISDN form: digits only, no `+` or `00` (settle.md §4.1). */
const MSISDN = /^\d{6,15}$/;

export type Created = { status: 200 | 201; record: PaymentRecord };

/** What a customer identifier resolves to when a request is created. */
type CustomerMatch = { shortlinkId: string | null; scan: Scan | null; found: boolean };

export class PaymentService {
  constructor(
    private readonly config: ResolvedConfig,
    private readonly store: SandboxStore,
    private readonly deadlines: Deadlines,
    private readonly callbacks: CallbackSender,
  ) {}

  get(tid: string): PaymentRecord | Refusal {
    return this.store.getPayment(tid) ?? notFound(`Payment request ${tid}`);
  }

  /** POST /payment_request/: idempotent on pos_id+pos_tid (settle.md §10). */
  create(input: CreatePaymentRequest): Created | Refusal {
    const fingerprint = JSON.stringify(input);
    const existing = this.store.findByPosTid(input.pos_id, input.pos_tid);
    if (existing !== undefined) {
      if (existing.fingerprint === fingerprint) return { status: 200, record: existing };
      return conflict('conflict', `A payment request with pos_id ${input.pos_id} and pos_tid ${input.pos_tid} already exists`);
    }
    const now = new Date();
    const match = this.matchCustomer(input, now);
    if ('status' in match) return match;

    let tid = newTid();
    while (this.store.getPayment(tid)) tid = newTid();
    const record: PaymentRecord = {
      tid,
      createdAt: now,
      request: input,
      fingerprint,
      callbackUri: input.callback_uri,
      // An identifier nobody answers to ends the request at once, as Settle's 4004 NOT_FOUND.
      status: match.found ? STATUS.PENDING : STATUS.NOT_FOUND,
      endedBy: null,
      shortlinkId: match.shortlinkId,
      scanToken: match.scan?.token ?? null,
      additionalAmount: input.additional_amount,
      authAmount: 0,
      authAdditionalAmount: 0,
      captures: [],
      refunds: [],
      dateModified: now,
      dateExpires: match.found ? new Date(now.getTime() + input.expires_in * 1000) : null,
      actions: [],
      outcomeReads: 0,
    };
    // A token already used by another request still identifies the customer; it keeps its first request.
    if (match.scan && match.scan.assignedTid === null) match.scan.assignedTid = tid;
    this.store.addPayment(record);
    this.syncDeadline(record);
    return { status: 201, record };
  }

  /**
   * Unknown or expired scan tokens and identifiers that are neither MSISDN, token nor shortlink
   * are accepted and fail as 4004 (what Settle reports for a customer it cannot find). An
   * unknown shortlink is the merchant's own configuration error, so it is a 400.
   */
  private matchCustomer(input: CreatePaymentRequest, now: Date): CustomerMatch | Refusal {
    const customer = input.customer;
    if (customer.startsWith('shortlink_sn:')) {
      return fieldError('customer', 'shortlink_sn is not supported by the sandbox; use shortlink_id');
    }
    if (customer.startsWith('shortlink_id:')) {
      const shortlinkId = customer.slice('shortlink_id:'.length);
      if (!this.store.getShortlink(shortlinkId)) return fieldError('customer', `Unknown shortlink ${shortlinkId}`);
      // max_scan_age: how old a scan may be and still be given to this request (settle.md §7).
      const scan = this.store.latestFreeScan(shortlinkId, new Date(now.getTime() - input.max_scan_age * 1000)) ?? null;
      return { shortlinkId, scan, found: true };
    }
    if (customer.startsWith('token:')) {
      const scan = this.store.getScan(customer);
      const valid = scan !== undefined && now.getTime() - scan.at.getTime() <= SCAN_TOKEN_LIFETIME_MS;
      return { shortlinkId: null, scan: valid ? scan : null, found: valid };
    }
    return { shortlinkId: null, scan: null, found: MSISDN.test(customer) };
  }

  /** PUT /payment_request/{tid}/: an action and/or new callback_uri, display_message_uri, line_items. */
  update(tid: string, body: UpdatePaymentRequest): Refusal | null {
    const record = this.store.getPayment(tid);
    if (!record) return notFound(`Payment request ${tid}`);
    const now = new Date();
    const transition: Transition = body.action
      ? merchantAction(record, body.action, body, now, this.config.authValiditySeconds * 1000)
      : { kind: 'changed', event: null };
    if (transition.kind === 'refused') {
      this.log(record, body.action ?? 'update', 'merchant', transition.refusal.status, body);
      return transition.refusal;
    }
    // Applied before the callback goes out: callbacks go to the URI registered at event time (§4.2).
    if (body.callback_uri !== undefined) record.callbackUri = body.callback_uri;
    if (body.display_message_uri !== undefined) record.request.display_message_uri = body.display_message_uri;
    if (body.line_items !== undefined) record.request.line_items = body.line_items;
    this.log(record, body.action ?? 'update', 'merchant', 204, body);
    this.afterTransition(record, transition);
    return null;
  }

  approve(tid: string, additionalAmount: number | undefined): Refusal | null {
    return this.customerAction(tid, 'approve', (record, now) =>
      approve(record, additionalAmount, now, this.config.authValiditySeconds * 1000),
    );
  }

  reject(tid: string): Refusal | null {
    return this.customerAction(tid, 'reject', reject);
  }

  /** A customer scans `http://settle.eu/s/<id>/<argstring>` (settle.md §7). */
  scan(shortlinkId: string, argstring: string): { token: string } | Refusal {
    const shortlink = this.store.getShortlink(shortlinkId);
    if (!shortlink) return notFound(`Shortlink ${shortlinkId}`);
    const now = new Date();
    const scan: Scan = { token: newScanToken(), shortlinkId, argstring, at: now, assignedTid: null };
    this.store.addScan(scan);
    const waiting = this.store.oldestWaitingRequest(shortlinkId);
    if (waiting) {
      scan.assignedTid = waiting.tid;
      waiting.scanToken = scan.token;
      this.log(waiting, 'scan', 'customer', 200, { token: scan.token, argstring });
    }
    // Sent whether or not a static-QR request took the scan: the receiver may want to show something.
    if (shortlink.callbackUri !== null) {
      this.callbacks.notify(shortlink.callbackUri, 'shortlink_scanned', {
        tid: null,
        uri: null,
        object: { id: scan.token, argstring },
      });
    }
    return { token: scan.token };
  }

  /** Forgets every request and its deadline. */
  reset(): void {
    this.deadlines.cancelAll();
    this.store.reset();
  }

  private customerAction(
    tid: string,
    action: 'approve' | 'reject',
    apply: (record: PaymentRecord, now: Date) => Transition,
  ): Refusal | null {
    const record = this.store.getPayment(tid);
    if (!record) return notFound(`Payment request ${tid}`);
    const transition = apply(record, new Date());
    if (transition.kind === 'refused') {
      this.log(record, action, 'customer', transition.refusal.status);
      return transition.refusal;
    }
    this.log(record, action, 'customer', 200);
    this.afterTransition(record, transition);
    return null;
  }

  private onDeadline(tid: string): void {
    const record = this.store.getPayment(tid);
    if (!record) return;
    const transition = expire(record, new Date());
    if (transition.kind === 'refused') return;
    this.log(record, 'expire', 'timer', null);
    this.afterTransition(record, transition);
  }

  private afterTransition(record: PaymentRecord, transition: Transition): void {
    if (transition.kind !== 'changed') return;
    this.syncDeadline(record);
    if (transition.event !== null && record.callbackUri !== null) {
      this.callbacks.notify(record.callbackUri, transition.event, {
        tid: record.tid,
        uri: `${this.config.baseUrl}${MERCHANT_API_PATH}/payment_request/${record.tid}/outcome/`,
        object: toOutcome(record),
      });
    }
  }

  /** Only pending and authorized requests have a deadline: 1003 → 5011, 3008 → 5012. */
  private syncDeadline(record: PaymentRecord): void {
    const live = record.status === STATUS.PENDING || record.status === STATUS.AUTH;
    if (live && record.dateExpires !== null) this.deadlines.set(record.tid, record.dateExpires, () => this.onDeadline(record.tid));
    else this.deadlines.cancel(record.tid);
  }

  private log(record: PaymentRecord, action: string, source: ActionLogEntry['source'], result: number | null, params?: object): void {
    const entry: ActionLogEntry = { action, source, at: new Date().toISOString(), result };
    if (params !== undefined) entry.params = { ...params };
    record.actions.push(entry);
  }
}
