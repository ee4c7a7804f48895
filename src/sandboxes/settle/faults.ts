/**
 * Injected faults waiting for their requests: the network and backend failures Settle says to
 * expect (settle.md §8: 5xx mean retry; lost or cut answers happen on any network).
 */
import type { FaultKind, FaultSpec } from './schemas';

export interface Fault {
  id: string;
  method: string | null;
  pathPattern: string;
  kind: FaultKind;
  remaining: number;
  delayMs: number;
}

export class FaultRegistry {
  private faults: { fault: Fault; pattern: RegExp }[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    const fault: Fault = {
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

  /** Consumes one use of the oldest fault matching this request, if any. */
  take(method: string, path: string): Fault | undefined {
    const index = this.faults.findIndex(
      ({ fault, pattern }) => (fault.method === null || fault.method === method) && pattern.test(path),
    );
    const entry = this.faults[index];
    if (entry === undefined) return undefined;
    entry.fault.remaining--;
    if (entry.fault.remaining === 0) this.faults.splice(index, 1);
    return { ...entry.fault };
  }

  list(): Fault[] {
    return this.faults.map(({ fault }) => ({ ...fault }));
  }

  clear(): void {
    this.faults = [];
  }
}
