/**
 * What the payment activities report for operators, as an interface so the activities do not depend
 * on a metrics library (the worker process implements it with Prometheus: src/observability/worker-metrics.ts).
 */
import { ApplicationFailure } from '@temporalio/common';
import { ProviderUnavailableError } from './http-json';
import type { ProviderAdapter } from './provider';

/** How a provider call ended: answered, unreachable/5xx (retried), a deliberate refusal, or a bug. */
export type ProviderCallOutcome = 'ok' | 'unavailable' | 'refused' | 'error';

export interface ActivityMetrics {
  providerCall(provider: string, operation: string, outcome: ProviderCallOutcome, seconds: number): void;
  /** How much later than its cadence a poll read the provider (0 when on time or nudged early). */
  pollLag(provider: string, seconds: number): void;
  /** A wait (poll) began in this process; the returned function ends it. */
  waitStarted(provider: string): () => void;
  /** A webhook nudged a payment's poll: `woke` one sleeping in this process, or it was kept for the poll's next sleep. */
  pollNudged(woke: boolean): void;
}

export function callOutcome(error: unknown): ProviderCallOutcome {
  if (error instanceof ProviderUnavailableError) return 'unavailable';
  if (error instanceof ApplicationFailure) return 'refused';
  return 'error';
}

/**
 * The adapter with every method timed, named by the adapter method (`prepare`, `observe`, `capture`,
 * ...): one place for every provider, so no provider module carries metrics code.
 */
export function meteredAdapter(provider: string, adapter: ProviderAdapter, metrics: ActivityMetrics): ProviderAdapter {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return async (...args: unknown[]) => {
        const started = performance.now();
        try {
          const result: unknown = await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          metrics.providerCall(provider, property, 'ok', (performance.now() - started) / 1000);
          return result;
        } catch (error) {
          metrics.providerCall(provider, property, callOutcome(error), (performance.now() - started) / 1000);
          throw error;
        }
      };
    },
  });
}
