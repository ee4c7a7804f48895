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

/** The kinds every sandbox supports; fault-injection.ts implements them. */
export const TRANSPORT_FAULT_KINDS = ['status_500', 'status_503', 'delay', 'commit_then_drop', 'drop', 'incomplete_body'] as const;
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

export class FaultRegistry<K extends string, P = never> {
  private faults: { fault: Fault<K, P>; pattern: RegExp | null }[] = [];
  private nextId = 1;

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
    if (entry === undefined) return undefined;
    entry.fault.remaining--;
    if (entry.fault.remaining === 0) this.faults.splice(index, 1);
    return { ...entry.fault };
  }

  list(): Fault<K, P>[] {
    return this.faults.map(({ fault }) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }
}
