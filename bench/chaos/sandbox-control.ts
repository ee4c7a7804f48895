/**
 * A sandbox's control API (`/_sandbox/...`, no authentication): customer actions, inspection, and
 * the fault that holds one provider call in flight while a process is killed. The sandboxes never
 * die in the campaign, so a failed call here is an error, not something to retry.
 */
import type { ProviderName } from './settings';
import { callJson } from '../http';

const CONTROL_TIMEOUT_MS = 15_000;

/** Which provider requests a fault waits for: any it leaves out matches anything (src/sandboxes/shared/faults.ts). */
export interface RequestMatch {
  method?: string;
  path_pattern?: string;
  /** SOAP operation (SEQR), whose path is the same for every call. */
  operation?: string;
}

export class SandboxControl {
  constructor(
    readonly provider: ProviderName,
    readonly url: string,
    private readonly signal: AbortSignal,
  ) {}

  async get<T>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }

  async post<T = unknown>(path: string, body: unknown = {}): Promise<T> {
    return this.call<T>('POST', path, body);
  }

  /**
   * Holds the next matching provider request for `delayMs` before the sandbox processes it: the
   * service's call is then in flight, unanswered, and is committed at the sandbox after the hold
   * whatever happened to the caller meanwhile. Answers the fault's id.
   */
  async hold(match: RequestMatch, delayMs: number): Promise<string> {
    const { id } = await this.call<{ id: string }>('POST', '/faults', { ...match, fault: 'delay', delay_ms: delayMs, times: 1 });
    return id;
  }

  /** True while the fault waits for its request; false once a request took it. */
  async waiting(faultId: string): Promise<boolean> {
    const faults = await this.call<{ id: string }[]>('GET', '/faults');
    return faults.some((fault) => fault.id === faultId);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/faults');
  }

  private async call<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const answer = await callJson<T>(method, `${this.url}/_sandbox${path}`, { body, timeoutMs: CONTROL_TIMEOUT_MS, signal: this.signal });
    if (answer.status >= 300) throw new Error(`${this.provider} sandbox ${method} ${path} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }
}
