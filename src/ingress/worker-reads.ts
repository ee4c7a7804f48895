/**
 * Reads that only a worker can answer (workflow queries: a payment, a till's registration). Temporal
 * holds a query until some worker picks it up, so with no worker running a read would hang for the
 * RPC's own timeout (~30 s) and then fail as a 500. Here every such read is bounded: a read no
 * worker answered within `timeoutMs` is `503 worker_unavailable` with `Retry-After`, having changed
 * nothing. The bound is an abort signal from `deadline()` (not `AbortSignal.timeout`/`any`, see
 * deadline.ts); an aborted call is not retried by the gRPC client. When Temporal itself says no
 * worker has polled lately (FAILED_PRECONDITION "no poller seen"), that is the same 503, at once.
 */
import { isGrpcServiceError, type Client } from '@temporalio/client';
import { deadline } from './deadline';
import { problems } from './problem';

/** How long a read waits for a worker before answering 503; workers answer queries in milliseconds. */
export const READ_TIMEOUT_MS = 5_000;

/** gRPC FAILED_PRECONDITION: Temporal says no worker polled the queue lately ("no poller seen ..."). */
const GRPC_FAILED_PRECONDITION = 9;

/** True when Temporal itself answered that no worker is there to take the read. */
export function saysNoWorker(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    if (isGrpcServiceError(cause) && Number(cause.code) === GRPC_FAILED_PRECONDITION && /poller|worker/i.test(cause.details)) return true;
  }
  return false;
}

export class WorkerReads {
  constructor(private readonly client: Client, private readonly timeoutMs = READ_TIMEOUT_MS) {}

  /** Runs `read` (whose Temporal calls must be made inside it) under the read deadline. */
  async run<T>(what: string, read: () => Promise<T>): Promise<T> {
    const bounded = deadline(this.timeoutMs);
    try {
      return await this.client.withAbortSignal(bounded.signal, read);
    } catch (error) {
      if (bounded.signal.aborted) {
        throw problems.workerUnavailable(`no worker answered the read of ${what} within ${this.timeoutMs / 1000} s; nothing was changed. Try again after Retry-After.`);
      }
      if (saysNoWorker(error)) throw problems.workerUnavailable(`no worker is running to answer the read of ${what}; nothing was changed. Try again after Retry-After.`);
      throw error;
    } finally {
      bounded.clear();
    }
  }
}
