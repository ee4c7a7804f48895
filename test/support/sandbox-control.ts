/**
 * The parts of every sandbox's control API that prove what a test injected: the provider API
 * requests it saw (and which fault struck each), requests held by a `hold` fault, and the callback
 * duplicate/reorder faults still to fire.
 */
import assert from 'node:assert/strict';
import { call, eventually } from './http';

import type { SeenRequest } from '../../src/sandboxes/shared/faults';

export type { SeenRequest };

export class SandboxControl {
  constructor(readonly sandboxUrl: string) {}

  /** Adds a fault; resolves with its id. */
  async fault(fault: Record<string, unknown>): Promise<string> {
    const response = await call<{ id: string }>('POST', `${this.sandboxUrl}/_sandbox/faults`, { body: { times: 1, ...fault } });
    if (response.status !== 201) throw new Error(`fault not accepted: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body.id;
  }

  /** The provider API requests seen after `since` (a `seq`), oldest first. */
  async requests(since = 0): Promise<SeenRequest[]> {
    return (await call<SeenRequest[]>('GET', `${this.sandboxUrl}/_sandbox/faults/requests?since=${since}`)).body;
  }

  /** The `seq` of the newest request seen so far: a mark to read the log from. */
  async mark(): Promise<number> {
    return (await this.requests()).at(-1)?.seq ?? 0;
  }

  /** The requests fault `id` struck. */
  async strikes(id: string): Promise<SeenRequest[]> {
    return (await this.requests()).filter((request) => request.fault === id);
  }

  /** Asserts fault `id` struck exactly `times` requests (each use of it was consumed). */
  async assertFired(id: string, times = 1): Promise<SeenRequest[]> {
    const struck = await this.strikes(id);
    assert.equal(struck.length, times, `fault ${id} struck ${struck.length} request(s), expected ${times}`);
    return struck;
  }

  /** Waits until fault `id` has struck `times` requests. */
  fired(id: string, times = 1, timeoutMs?: number): Promise<SeenRequest[]> {
    return eventually(`fault ${id} to strike ${times} request(s)`, async () => {
      const struck = await this.strikes(id);
      return struck.length >= times ? struck : undefined;
    }, timeoutMs);
  }

  /** Waits until `count` requests matching `matches` have arrived after mark `since`. */
  seen(what: string, since: number, matches: (request: SeenRequest) => boolean, count = 1, timeoutMs?: number): Promise<SeenRequest[]> {
    return eventually(`${count} × ${what} after request #${since}`, async () => {
      const found = (await this.requests(since)).filter(matches);
      return found.length >= count ? found : undefined;
    }, timeoutMs);
  }

  /** Asserts arrival hook `id` was set off by exactly one request, and returns that request. */
  async assertHookFired(id: string): Promise<SeenRequest> {
    const by = (await this.requests()).filter((request) => request.hooks.includes(id));
    assert.equal(by.length, 1, `hook ${id} was set off by ${by.length} request(s)`);
    return by[0]!;
  }

  /** Waits until fault `id` (a `hold`) is holding a request. */
  held(id: string): Promise<true> {
    return eventually(`a request held by ${id}`, async () => (await call<{ held: number }>('GET', `${this.sandboxUrl}/_sandbox/faults/held?id=${id}`)).body.held > 0 || undefined);
  }

  /** Lets the requests held by fault `id` (or by any fault) go on. */
  async release(id?: string): Promise<number> {
    return (await call<{ released: number }>('POST', `${this.sandboxUrl}/_sandbox/faults/release${id === undefined ? '' : `?id=${id}`}`)).body.released;
  }

  /** The faults still waiting, with what each has left. */
  async pendingFaults(): Promise<{ id: string; remaining: number }[]> {
    const body = (await call<{ id: string; remaining: number }[] | { items: { id: string; remaining: number }[] }>('GET', `${this.sandboxUrl}/_sandbox/faults`)).body;
    return Array.isArray(body) ? body : body.items;
  }

  /** Duplicate/reorder faults on outgoing callbacks (`webhooks` at Tabby) still to fire. */
  async pendingDeliveryFaults(route: 'callbacks' | 'webhooks'): Promise<{ duplicates: number; reorders: number; held: number }> {
    return (await call<{ duplicates: number; reorders: number; held: number }>('GET', `${this.sandboxUrl}/_sandbox/${route}/pending`)).body;
  }
}
