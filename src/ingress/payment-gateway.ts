/**
 * POS commands and reads as Temporal calls: create is update-with-start, commands are updates,
 * reads are the payment's memo (a query for payments from before 0.5.0), long polls follow the
 * payment's history (payment-watches.ts), webhooks are wake updates with a signal as fallback.
 * Workflow failures come back as HTTP problems here, so the routes stay a thin mapping of HTTP onto
 * these methods.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  Client,
  isGrpcServiceError,
  WithStartWorkflowOperation,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type WorkflowHandle,
} from '@temporalio/client';
import { ApplicationFailure, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { decodeMapFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import { canonicalJson } from '../../workflows/canonical-json';
import { refundIdConflict, waitRefusal } from '../../workflows/command-rules';
import { paymentId, parsePaymentId } from '../../workflows/ids';
import {
  cancelUpdate,
  captureUpdate,
  claimKeyUpdate,
  IDEMPOTENCY_KEY_WORKFLOW_TYPE,
  openUpdate,
  PAYMENT_MEMO,
  paymentQuery,
  providerSignal,
  refundUpdate,
  retryUpdate,
  waitForChangeUpdate,
  wakeUpdate,
  WORKFLOW_TYPE,
  type PublishedPayment,
} from '../../workflows/messages';
import { formatMinorUnits } from '../../workflows/money';
import { PAID_STATES, type CreatePaymentRequest, type OpenResult, type PaymentResource, type PaymentState, type RefundResult } from '../../workflows/payment';
import type { ProviderSignal } from '../../workflows/provider-contract';
import * as attributes from '../../workflows/search-attributes';
import { HttpProblem, problems } from './problem';
import { PaymentSnapshots } from './snapshots';
import { PaymentWatches } from './payment-watches';
import { deadline } from './deadline';
import { ListCursors, listScope } from './cursor';
import { WorkerReads } from './worker-reads';
import { tracingActive } from '../observability/tracing';
import { TRACING_MEMO } from '../../workflows/tracing-memo';

const FINGERPRINT_MEMO = 'request_fingerprint';
/** How long a webhook waits for a worker to take its wake before it is handed over as a durable signal. */
const WAKE_ANSWER_MS = 3000;

/** Workflow failure types → HTTP. The type strings are the contract's problem codes. */
const STATUS_OF_FAILURE: Record<string, number> = {
  invalid_state: 409,
  idempotency_conflict: 409,
  refund_exceeds_captured: 422,
  validation_failed: 422,
  partial_refund_unsupported: 422,
};

/** gRPC status code 3: the request is wrong (here: a page token Temporal does not take). */
const GRPC_INVALID_ARGUMENT = 3;
const invalidCursor = (message: string) => problems.validation([{ field: 'cursor', message }], 'The request has invalid query parameters.');

/** The payment a workflow's memo holds (PAYMENT_MEMO), if it publishes one. */
function publishedIn(memo: Record<string, unknown> | undefined): PublishedPayment | null {
  return (memo?.[PAYMENT_MEMO] as PublishedPayment | undefined) ?? null;
}

function idempotencyConflict(detail: string, payment: PaymentResource): HttpProblem {
  return new HttpProblem(409, 'idempotency_conflict', detail, { payment });
}

/**
 * A command answers `200` only when it left the payment where it asked for; a command that lost a
 * race (a cancel overtaken by the customer's payment, say) answers the truth as `409 invalid_state`.
 */
/**
 * How long a command waits for its outcome. A command waits on the provider (a cancel that must
 * read the provider's truth, a refund retried until the provider answers), and the provider may be
 * down for longer than a till can hold a request: past this, the POS gets `202` with the payment as
 * it is, the command goes on, and the very same command again answers its outcome once known.
 */
export const COMMAND_ANSWER_MS = 20_000;

/** A command's outcome, or the payment as it is while the command is still under way. */
export type CommandAnswer<T> = { outcome: T } | { pending: PaymentResource };

function tookEffect(payment: PaymentResource, states: readonly PaymentState[], command: string): PaymentResource {
  if (states.includes(payment.state)) return payment;
  throw problems.invalidState(`the payment is ${payment.state}: the ${command} did not take effect`, payment);
}

/**
 * Temporal stopped waiting for the workflow to take an update (no worker took it in time): for the
 * caller, the same as our own deadline passing.
 */
function gaveUpWaiting(error: unknown): boolean {
  return error instanceof WorkflowUpdateRPCTimeoutOrCancelledError;
}

export interface ListFilter {
  pos_id?: string;
  state?: PaymentState;
  provider?: string;
}

export class PaymentGateway {
  private readonly snapshots = new PaymentSnapshots();
  private readonly watches: PaymentWatches;

  constructor(
    private readonly client: Client,
    /** Fires before the client's connection closes (see PaymentWatches). */
    closing: AbortSignal,
    private readonly taskQueue: string,
    /** How long a create may wait for its payment to be ready before answering 503. */
    private readonly createTimeoutMs: number,
    /** Signs and checks list cursors; the key must be the same on every ingress (see cursor.ts; the app derives it). */
    private readonly cursors: ListCursors = new ListCursors(randomBytes(32)),
    /** Bounds reads (queries) that need a worker: 503 worker_unavailable instead of a hang. */
    private readonly reads: WorkerReads = new WorkerReads(client),
  ) {
    this.watches = new PaymentWatches(client, closing);
  }

  /** Payments whose history this ingress follows for waiting tills. */
  get watchedPayments(): number {
    return this.watches.size;
  }

  async open(merchantId: string, request: CreatePaymentRequest): Promise<OpenResult> {
    const workflowId = paymentId(merchantId, request.pos_id, request.pos_tid);
    const fingerprint = canonicalJson(request);
    const startWorkflowOperation = new WithStartWorkflowOperation(WORKFLOW_TYPE, {
      workflowId,
      taskQueue: this.taskQueue,
      args: [{ payment_id: workflowId, merchant_id: merchantId, request }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // A finished payment keeps its id forever: a late repeat must find it, not start a second one.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { [FINGERPRINT_MEMO]: fingerprint, ...(tracingActive() ? { [TRACING_MEMO]: true } : {}) },
      staticSummary: `${request.provider} · ${formatMinorUnits(request.amount, request.currency)} ${request.currency} · ${request.pos_id}/${request.pos_tid}`,
      typedSearchAttributes: [
        { key: attributes.PaymentProvider, value: request.provider },
        { key: attributes.PaymentState, value: 'pending' },
        { key: attributes.MerchantId, value: merchantId },
        { key: attributes.PosId, value: request.pos_id },
        { key: attributes.PosTid, value: request.pos_tid },
        { key: attributes.PaymentAmount, value: request.amount },
        { key: attributes.PaymentCurrency, value: request.currency },
      ],
    });
    const ready = deadline(this.createTimeoutMs);
    try {
      const opened = await this.client.withAbortSignal(ready.signal, () => this.client.workflow.executeUpdateWithStart(openUpdate, { args: [request], startWorkflowOperation }));
      this.snapshots.remember(opened.payment);
      return opened;
    } catch (error) {
      if (ready.signal.aborted || gaveUpWaiting(error)) throw problems.notReady(this.createTimeoutMs);
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw this.problemOf(error);
      // The payment exists and has completed: same request → same payment; other request → conflict.
      const handle = this.client.workflow.getHandle(workflowId);
      const { memo } = await handle.describe();
      const payment = await this.resourceOf(handle, publishedIn(memo));
      if (memo?.[FINGERPRINT_MEMO] !== fingerprint) {
        throw idempotencyConflict(`pos_id ${request.pos_id} / pos_tid ${request.pos_tid} already identify a payment with a different request`, payment);
      }
      return { created: false, payment };
    } finally {
      ready.clear();
    }
  }

  /**
   * Binds an `Idempotency-Key` to the payment these ids name; a key already bound to another
   * payment is a conflict, exactly like the same ids with another body.
   */
  async claimIdempotencyKey(merchantId: string, key: string, request: CreatePaymentRequest, rememberMs: number): Promise<void> {
    const claimed = paymentId(merchantId, request.pos_id, request.pos_tid);
    const startWorkflowOperation = new WithStartWorkflowOperation(IDEMPOTENCY_KEY_WORKFLOW_TYPE, {
      workflowId: `idem:${merchantId}:${createHash('sha256').update(key).digest('base64url')}`,
      taskQueue: this.taskQueue,
      args: [{ remember_ms: rememberMs }],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `Idempotency-Key of ${claimed}`,
    });
    const owner = await this.client.workflow.executeUpdateWithStart(claimKeyUpdate, { args: [claimed], startWorkflowOperation });
    if (owner !== claimed) {
      throw new HttpProblem(409, 'idempotency_conflict', `this Idempotency-Key was already used for payment ${owner}`);
    }
  }

  async get(merchantId: string, id: string): Promise<PaymentResource> {
    return this.read(this.handleFor(merchantId, id));
  }

  /** True when the payment these ids name exists (running or finished). */
  async exists(merchantId: string, request: CreatePaymentRequest): Promise<boolean> {
    try {
      await this.client.workflow.getHandle(paymentId(merchantId, request.pos_id, request.pos_tid)).describe();
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /**
   * Long poll: answers as soon as `version > knownVersion`, or with the unchanged payment at the
   * deadline. A payment that publishes its versions in its memo is waited on through its history
   * (payment-watches.ts): no worker and no workflow task while nothing changes.
   */
  async waitForVersion(merchantId: string, id: string, knownVersion: number, timeoutMs: number, abandoned: AbortSignal): Promise<PaymentResource> {
    const handle = this.handleFor(merchantId, id);
    const seen = this.snapshots.get(id);
    if (seen && seen.version > knownVersion) return seen;
    // A watch already following the payment knows its version, unless the till knows a newer one.
    const watched = this.watches.latest(id);
    const current = watched !== null && watched.version >= knownVersion ? watched : await this.published(handle);
    if (current === null) return this.waitByUpdate(handle, knownVersion, timeoutMs, abandoned);
    const refusal = waitRefusal(knownVersion, current.version);
    if (refusal?.field) throw problems.validation([refusal.field]);
    if (current.version > knownVersion) return this.resourceOf(handle, current);
    const waited = deadline(timeoutMs, abandoned);
    try {
      const outcome = await this.watches.next(id, knownVersion, waited.signal);
      // Timed out, or the workflow closed without a newer version: the payment as it is.
      return this.resourceOf(handle, outcome?.kind === 'version' ? outcome.payment : current);
    } finally {
      waited.clear();
    }
  }

  /**
   * The long poll of payments started before 0.5.0, which publish nothing: a workflow update whose id
   * is derived from the known version, so every till waiting on the same version (through any
   * ingress) attaches to one update.
   */
  private async waitByUpdate(handle: WorkflowHandle, knownVersion: number, timeoutMs: number, abandoned: AbortSignal): Promise<PaymentResource> {
    const waited = deadline(timeoutMs, abandoned);
    try {
      const changed = await this.client.withAbortSignal(waited.signal, () =>
        handle.executeUpdate(waitForChangeUpdate, { args: [knownVersion], updateId: `wait-for-version-${knownVersion}` }));
      return this.snapshots.remember(changed);
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw this.problemOf(error);
      // A completed workflow takes no updates: its final payment is read like any other.
      if (error instanceof WorkflowNotFoundError) return this.read(handle);
      if (!waited.signal.aborted && !gaveUpWaiting(error)) throw this.problemOf(error);
      const unchanged = this.snapshots.get(handle.workflowId);
      return unchanged?.version === knownVersion ? unchanged : this.read(handle);
    } finally {
      waited.clear();
    }
  }

  /**
   * One page of the merchant's payments. `cursor` is one this listing gave out (for the same
   * merchant and filters); any other is `422` on `cursor` before Temporal is asked (see cursor.ts).
   */
  async list(merchantId: string, filter: ListFilter, limit: number, cursor: string | null): Promise<{ data: PaymentResource[]; next_cursor: string | null }> {
    const scope = listScope(merchantId, filter);
    const token = cursor === null ? undefined : this.cursors.open(cursor, scope);
    if (token === null) throw invalidCursor('is not a cursor this listing gave out (for these filters)');
    // Every value below was validated against a closed alphabet, so quoting cannot be escaped.
    const clauses = [`WorkflowType = '${WORKFLOW_TYPE}'`, `MerchantId = '${merchantId}'`];
    if (filter.pos_id) clauses.push(`PosId = '${filter.pos_id}'`);
    if (filter.state) clauses.push(`PaymentState = '${filter.state}'`);
    if (filter.provider) clauses.push(`PaymentProvider = '${filter.provider}'`);
    let page;
    try {
      page = await this.client.workflowService.listWorkflowExecutions({
        namespace: this.client.options.namespace,
        query: clauses.join(' AND '),
        pageSize: limit,
        nextPageToken: token,
      });
    } catch (error) {
      // A cursor we did issue that Temporal no longer accepts (INVALID_ARGUMENT) is stale, not our fault.
      if (token !== undefined && isGrpcServiceError(error) && Number(error.code) === GRPC_INVALID_ARGUMENT) throw invalidCursor('is no longer valid: list again from the first page');
      throw error;
    }
    // Each item from the memo its visibility record holds; payments from before 0.5.0 are queried.
    const data = await Promise.all((page.executions ?? []).map(async (execution) => {
      const memo = await decodeMapFromPayloads(this.client.options.loadedDataConverter, execution.memo?.fields);
      return this.resourceOf(this.client.workflow.getHandle(execution.execution?.workflowId ?? ''), publishedIn(memo));
    }));
    const next = page.nextPageToken;
    return { data, next_cursor: next && next.length > 0 ? this.cursors.seal(next, scope) : null };
  }

  /** Repeating a cancel that took effect answers the cancelled payment again, also once the workflow completed. */
  async cancel(merchantId: string, id: string, reason: string | null): Promise<CommandAnswer<PaymentResource>> {
    const handle = this.handleFor(merchantId, id);
    const answer = await this.command(handle, () => handle.executeUpdate(cancelUpdate, { args: [{ reason }] }), (closed) => closed);
    return 'pending' in answer ? answer : { outcome: tookEffect(answer.outcome, ['cancelled'], 'cancel') };
  }

  /** A completed payment no longer knows which capture it was given, so every capture on it is refused. */
  async capture(merchantId: string, id: string, amount: number | null): Promise<CommandAnswer<PaymentResource>> {
    const handle = this.handleFor(merchantId, id);
    const answer = await this.command(handle, () => handle.executeUpdate(captureUpdate, { args: [{ amount }] }), (closed) => {
      throw problems.invalidState(`the payment is ${closed.state} and cannot be captured`, closed);
    });
    // A capture the provider refused leaves the payment authorized, the refusal on its timeline: 409.
    return 'pending' in answer ? answer : { outcome: tookEffect(answer.outcome, PAID_STATES, 'capture') };
  }

  async retry(merchantId: string, id: string): Promise<CommandAnswer<PaymentResource>> {
    const handle = this.handleFor(merchantId, id);
    const answer = await this.command(handle, () => handle.executeUpdate(retryUpdate), (closed) => {
      throw problems.invalidState(`the payment is ${closed.state}; there is nothing to retry`, closed);
    });
    return 'pending' in answer ? answer : { outcome: tookEffect(answer.outcome, ['awaiting_customer'], 'retry') };
  }

  async refund(merchantId: string, id: string, body: { amount: number; refund_id: string | null; reason: string | null }): Promise<CommandAnswer<RefundResult>> {
    const handle = this.handleFor(merchantId, id);
    return this.command(handle, () => handle.executeUpdate(refundUpdate, { args: [body] }), (closed) => {
      const refund = body.refund_id ? closed.refunds.find((r) => r.refund_id === body.refund_id) : undefined;
      if (!refund) throw problems.invalidState(`the payment is ${closed.state} and its refund window has closed`, closed);
      const conflict = refundIdConflict(refund, body.amount, closed.currency);
      if (conflict !== null) throw idempotencyConflict(conflict, closed);
      return { refund, payment: closed };
    });
  }

  /**
   * Hands a verified webhook to its payment. As a `wake` update first: the payment refuses a wake it
   * does not need (not waiting on the provider, or woken a moment ago), which costs no history and
   * no provider call. When no worker answers within a few seconds, as a signal, which Temporal keeps
   * until a worker runs. False when no open payment has that id.
   */
  async deliver(paymentIdValue: string, signal: ProviderSignal): Promise<boolean> {
    const handle = this.client.workflow.getHandle(paymentIdValue);
    const answered = deadline(WAKE_ANSWER_MS);
    try {
      await this.client.withAbortSignal(answered.signal, () => handle.executeUpdate(wakeUpdate, { args: [signal] }));
      return true;
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) return true;
      if (error instanceof WorkflowNotFoundError) return false;
      if (!answered.signal.aborted && !gaveUpWaiting(error)) throw error;
    } finally {
      answered.clear();
    }
    try {
      await handle.signal(providerSignal, signal);
      return true;
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return false;
      throw error;
    }
  }

  /** Ids are scoped: a payment of another merchant is indistinguishable from one that does not exist. */
  private handleFor(merchantId: string, id: string): WorkflowHandle {
    const parsed = parsePaymentId(id);
    if (!parsed || parsed.merchantId !== merchantId) throw problems.notFound(`no payment ${id}`);
    return this.client.workflow.getHandle(id);
  }

  /** The payment as it is: from its memo, which Temporal serves without a worker, or else from the workflow. */
  private async read(handle: WorkflowHandle): Promise<PaymentResource> {
    return this.resourceOf(handle, await this.published(handle));
  }

  /** What the payment published in its memo; null for payments started before 0.5.0, which publish nothing. */
  private async published(handle: WorkflowHandle): Promise<PublishedPayment | null> {
    try {
      return publishedIn((await handle.describe()).memo);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw problems.notFound(`no payment ${handle.workflowId}`);
      throw error;
    }
  }

  /** The resource a published version stands for; a version published without it (too large, or none) is queried. */
  private async resourceOf(handle: WorkflowHandle, published: PublishedPayment | null): Promise<PaymentResource> {
    if (published !== null && !('omitted' in published)) return this.snapshots.remember(published);
    return this.query(handle);
  }

  /** A query needs a worker: bounded, so a read nobody answers is 503 worker_unavailable within seconds. */
  private async query(handle: WorkflowHandle): Promise<PaymentResource> {
    try {
      return this.snapshots.remember(await this.reads.run(`payment ${handle.workflowId}`, () => handle.query(paymentQuery)));
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw problems.notFound(`no payment ${handle.workflowId}`);
      throw this.problemOf(error);
    }
  }

  /** Runs a command's update for at most COMMAND_ANSWER_MS; a completed payment answers through `whenClosed`. */
  private async command<T>(handle: WorkflowHandle, run: () => Promise<T>, whenClosed: (payment: PaymentResource) => T): Promise<CommandAnswer<T>> {
    const answered = deadline(COMMAND_ANSWER_MS);
    const update = run();
    const timedOut = new Promise<'timed out'>((resolve) => answered.signal.addEventListener('abort', () => resolve('timed out'), { once: true }));
    try {
      const outcome = await Promise.race([update, timedOut]);
      if (outcome !== 'timed out') return { outcome };
      // Still under way: its outcome reaches whoever repeats the command (nobody waits on this one).
      update.catch(() => undefined);
      return { pending: await this.read(handle) };
    } catch (error) {
      if (error instanceof WorkflowUpdateFailedError) throw this.problemOf(error);
      const payment = await this.read(handle);
      const { status } = await handle.describe();
      if (status.name !== 'RUNNING') return { outcome: whenClosed(payment) };
      throw this.problemOf(error);
    } finally {
      answered.clear();
    }
  }

  /** A workflow's typed failure as the matching problem; anything else passes through unchanged. */
  private problemOf(error: unknown): unknown {
    const failure = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    const status = failure instanceof ApplicationFailure && failure.type ? STATUS_OF_FAILURE[failure.type] : undefined;
    if (!(failure instanceof ApplicationFailure) || !failure.type || status === undefined) return error;
    const details = failure.details ?? [];
    const extra = failure.type === 'validation_failed' ? { errors: details } : { payment: details[0] };
    return new HttpProblem(status, failure.type, failure.message, extra);
  }
}
