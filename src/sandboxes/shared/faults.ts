/**
 * Injected faults waiting for their requests: the network and backend failures every provider's
 * API can show (5xx, lost or cut answers, slow answers), plus whatever kinds a sandbox adds.
 * Each sandbox lists its kinds; the registry and the control-API schema are the same for all.
 *
 * A fault names the requests it waits for by HTTP method, path pattern and, for RPC-style APIs
 * whose path is the same for every call (SOAP), by operation; whatever it leaves out matches
 * anything. Kind-specific settings (e.g. which result code to answer) travel in `params`.
 */
import { z } from 'zod';

/**
 * The kinds every sandbox supports; fault-injection.ts implements them. `hold` keeps the request
 * waiting until the control API releases it (or `delay_ms`, default a minute, passes), so a test can
 * act at the very moment the request is known to have arrived instead of racing a fixed delay.
 */
export const TRANSPORT_FAULT_KINDS = ['status_500', 'status_503', 'delay', 'commit_then_drop', 'drop', 'incomplete_body', 'hold'] as const;
export type TransportFaultKind = (typeof TRANSPORT_FAULT_KINDS)[number];

export interface Fault<K extends string, P = never> {
  id: string;
  method: string | null;
  /** Null: any path. */
  pathPattern: string | null;
  /** Null: any operation (and requests that have none). */
  operation: string | null;
  kind: K;
  remaining: number;
  delayMs: number;
  params: P | null;
}

export interface FaultSpec<K extends string, P = never> {
  method?: string | undefined;
  path_pattern?: string | undefined;
  operation?: string | undefined;
  fault: K;
  times: number;
  delay_ms?: number | undefined;
  params?: P | undefined;
}

/** What a request offers for matching; `operation` only where the API has operations. */
export interface FaultTarget {
  method: string;
  path: string;
  operation?: string | undefined;
}

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** The fields of POST /_sandbox/faults; a sandbox may extend them before adding faultSpecChecks. */
export function faultSpecFields<const K extends string, const M extends string>(kinds: readonly [K, ...K[]], methods: readonly [M, ...M[]]) {
  return z.object({
    method: z.enum(methods).optional(),
    path_pattern: z.string().min(1).refine(isRegex, 'Not a valid regular expression'),
    fault: z.enum(kinds),
    times: z.int().min(1).default(1),
    delay_ms: z.int().min(0).max(600_000).optional(),
  });
}

/** Checks across fields that every fault body needs. */
export function faultSpecChecks<T extends { fault: string; delay_ms?: number | undefined }>(schema: z.ZodType<T>) {
  return schema.refine((body) => body.fault !== 'delay' || body.delay_ms !== undefined, { path: ['delay_ms'], message: 'Required for a delay fault' });
}

/** The body of POST /_sandbox/faults for a sandbox with these kinds and HTTP methods. */
export function faultSpecSchema<const K extends string, const M extends string>(kinds: readonly [K, ...K[]], methods: readonly [M, ...M[]]) {
  return faultSpecChecks(faultSpecFields(kinds, methods));
}

/** One request the fault middleware saw, and the fault that struck it, if any. */
export interface SeenRequest {
  seq: number;
  method: string;
  path: string;
  operation: string | null;
  /** Id of the fault that struck this request, null when none did. */
  fault: string | null;
  kind: string | null;
  /** Ids of the arrival hooks this request set off (see FaultRegistry.onArrival). */
  hooks: string[];
  at: string;
}

/** Which requests an arrival hook waits for; what it leaves out matches anything. */
export interface ArrivalMatch {
  method?: string | undefined;
  path_pattern?: string | undefined;
  operation?: string | undefined;
}

/** How long a `hold` fault keeps its request when nobody releases it and it names no `delay_ms`. */
export const DEFAULT_HOLD_MS = 60_000;
export const REQUEST_LOG_LIMIT = 10_000;

export class FaultRegistry<K extends string, P = never> {
  private faults: { fault: Fault<K, P>; pattern: RegExp | null }[] = [];
  private nextId = 1;
  private seen: SeenRequest[] = [];
  private nextSeq = 1;
  private held = new Map<string, { resume: () => void; timer: NodeJS.Timeout }>();
  private nextHold = 1;
  private hooks: { id: string; match: ArrivalMatch; pattern: RegExp | null; action: () => void }[] = [];
  private nextHook = 1;
  private firedHooks: string[] = [];

  add(spec: FaultSpec<K, P>): Fault<K, P> {
    const fault: Fault<K, P> = {
      id: `fault-${this.nextId++}`,
      method: spec.method ?? null,
      pathPattern: spec.path_pattern ?? null,
      operation: spec.operation ?? null,
      kind: spec.fault,
      remaining: spec.times,
      delayMs: spec.delay_ms ?? 0,
      params: spec.params ?? null,
    };
    this.faults.push({ fault, pattern: spec.path_pattern === undefined ? null : new RegExp(spec.path_pattern) });
    return fault;
  }

  /**
   * Consumes one use of the oldest fault matching this request, if any. `applies` lets a kind that
   * only makes sense for some requests (e.g. an incomplete session answer) wait for one of those
   * instead of being used up by the first request its path pattern happens to match.
   */
  take(target: FaultTarget, applies: (kind: K) => boolean = () => true): Fault<K, P> | undefined {
    const index = this.faults.findIndex(
      ({ fault, pattern }) =>
        (fault.method === null || fault.method === target.method) &&
        (pattern === null || pattern.test(target.path)) &&
        (fault.operation === null || fault.operation === target.operation) &&
        applies(fault.kind),
    );
    const entry = this.faults[index];
    this.record(target, entry?.fault);
    if (entry === undefined) return undefined;
    entry.fault.remaining--;
    if (entry.fault.remaining === 0) this.faults.splice(index, 1);
    return { ...entry.fault };
  }

  /**
   * Runs `action` once, when the next request matching `match` arrives, before any fault strikes
   * it and before the API handles it: lets a test make something happen at the very moment another
   * request arrives (the customer pays as the cancel comes in) instead of racing it with delays.
   */
  onArrival(match: ArrivalMatch, action: () => void): string {
    const id = `hook-${this.nextHook++}`;
    this.hooks.push({ id, match, pattern: match.path_pattern === undefined ? null : new RegExp(match.path_pattern), action });
    return id;
  }

  /** Sets off the arrival hooks waiting for this request; the fault middleware calls it first. */
  arrive(target: FaultTarget): void {
    const due = this.hooks.filter(
      ({ match, pattern }) =>
        (match.method === undefined || match.method === target.method) &&
        (pattern === null || pattern.test(target.path)) &&
        (match.operation === undefined || match.operation === target.operation),
    );
    this.hooks = this.hooks.filter((hook) => !due.includes(hook));
    for (const hook of due) {
      this.firedHooks.push(hook.id);
      hook.action();
    }
  }

  /** Arrival hooks not set off yet. */
  pendingHooks(): string[] {
    return this.hooks.map((hook) => hook.id);
  }

  private record(target: FaultTarget, fault: Fault<K, P> | undefined): void {
    const hooks = this.firedHooks;
    this.firedHooks = [];
    this.seen.push({ seq: this.nextSeq++, method: target.method, path: target.path, operation: target.operation ?? null, fault: fault?.id ?? null, kind: fault?.kind ?? null, hooks, at: new Date().toISOString() });
    // Trimmed in one go once twice the limit: dropping the oldest entry on every request moved the
    // whole log each time, which at a bench's thousands of reads a second was a fifth of the sandbox's CPU.
    if (this.seen.length >= 2 * REQUEST_LOG_LIMIT) this.seen = this.seen.slice(-REQUEST_LOG_LIMIT);
  }

  /**
   * Every provider API request seen (the newest REQUEST_LOG_LIMIT), oldest first, with the fault
   * that struck it: lets a test prove a fault fired, or wait for a poll cycle, by request order.
   * `since`: only requests with a higher `seq`.
   */
  requests(since = 0): SeenRequest[] {
    return this.seen.slice(-REQUEST_LOG_LIMIT).filter((request) => request.seq > since);
  }

  /** Keeps a request struck by a `hold` fault waiting until `release`, or `maxMs` passes. */
  hold(fault: Fault<K, P>, resume: () => void): void {
    const key = `${fault.id}#${this.nextHold++}`;
    const timer = setTimeout(() => this.resume(key), fault.delayMs > 0 ? fault.delayMs : DEFAULT_HOLD_MS).unref();
    this.held.set(key, { resume, timer });
  }

  /** Lets every held request (or those held by fault `id`) go on; answers how many went on. */
  release(id?: string): number {
    const keys = [...this.held.keys()].filter((key) => id === undefined || key.startsWith(`${id}#`));
    for (const key of keys) this.resume(key);
    return keys.length;
  }

  /** How many requests are held right now (by fault `id`, or by any). */
  heldCount(id?: string): number {
    return [...this.held.keys()].filter((key) => id === undefined || key.startsWith(`${id}#`)).length;
  }

  private resume(key: string): void {
    const entry = this.held.get(key);
    if (entry === undefined) return;
    this.held.delete(key);
    clearTimeout(entry.timer);
    entry.resume();
  }

  list(): Fault<K, P>[] {
    return this.faults.map(({ fault }) => ({ ...fault }));
  }

  /** Forgets the waiting faults and arrival hooks and lets held requests go on; the request log stays. */
  clear(): void {
    this.faults = [];
    this.hooks = [];
    this.release();
  }
}
