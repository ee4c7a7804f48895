/**
 * Injected faults waiting for their requests: the network and backend failures every provider's
 * API can show (5xx, lost or cut answers, slow answers), plus whatever kinds a sandbox adds.
 * Each sandbox lists its kinds; the registry and the control-API schema are the same for all.
 */
import { z } from 'zod';

/** The kinds every sandbox supports; fault-injection.ts implements them. */
export const TRANSPORT_FAULT_KINDS = ['status_500', 'status_503', 'delay', 'commit_then_drop', 'drop', 'incomplete_body'] as const;
export type TransportFaultKind = (typeof TRANSPORT_FAULT_KINDS)[number];

export interface Fault<K extends string> {
  id: string;
  method: string | null;
  pathPattern: string;
  kind: K;
  remaining: number;
  delayMs: number;
}

export interface FaultSpec<K extends string> {
  method?: string | undefined;
  path_pattern: string;
  fault: K;
  times: number;
  delay_ms?: number | undefined;
}

function isRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/** The body of POST /_sandbox/faults for a sandbox with these kinds and HTTP methods. */
export function faultSpecSchema<const K extends string, const M extends string>(kinds: readonly [K, ...K[]], methods: readonly [M, ...M[]]) {
  return z
    .object({
      method: z.enum(methods).optional(),
      path_pattern: z.string().min(1).refine(isRegex, 'Not a valid regular expression'),
      fault: z.enum(kinds),
      times: z.int().min(1).default(1),
      delay_ms: z.int().min(0).max(600_000).optional(),
    })
    .refine((body) => body.fault !== 'delay' || body.delay_ms !== undefined, { path: ['delay_ms'], message: 'Required for a delay fault' });
}

export class FaultRegistry<K extends string> {
  private faults: { fault: Fault<K>; pattern: RegExp }[] = [];
  private nextId = 1;

  add(spec: FaultSpec<K>): Fault<K> {
    const fault: Fault<K> = {
      id: `fault-${this.nextId++}`,
      method: spec.method ?? null,
      pathPattern: spec.path_pattern,
      kind: spec.fault,
      remaining: spec.times,
      delayMs: spec.delay_ms ?? 0,
    };
    this.faults.push({ fault, pattern: new RegExp(spec.path_pattern) });
    return fault;
  }

  /**
   * Consumes one use of the oldest fault matching this request, if any. `applies` lets a kind that
   * only makes sense for some requests (e.g. an incomplete session answer) wait for one of those
   * instead of being used up by the first request its path pattern happens to match.
   */
  take(method: string, path: string, applies: (kind: K) => boolean = () => true): Fault<K> | undefined {
    const index = this.faults.findIndex(
      ({ fault, pattern }) => (fault.method === null || fault.method === method) && pattern.test(path) && applies(fault.kind),
    );
    const entry = this.faults[index];
    if (entry === undefined) return undefined;
    entry.fault.remaining--;
    if (entry.fault.remaining === 0) this.faults.splice(index, 1);
    return { ...entry.fault };
  }

  list(): Fault<K>[] {
    return this.faults.map(({ fault }) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }
}
