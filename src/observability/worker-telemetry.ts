/**
 * A worker process's telemetry set-up, the same for `npm run worker` and the embedded stack: the
 * Temporal runtime with its logs in the process logger and, when WORKER_METRICS_PORT is set, the SDK's
 * metrics on a free loopback port, merged into the `/metrics` this process then serves.
 */
import type { Registry } from 'prom-client';
import { loadWorkerMetricsPort } from '../config';
import { freePort } from '../main/lifecycle';
import { serveMetrics, type MetricsServer } from './metrics-server';
import { installTemporalRuntime } from './temporal-runtime';

/** Call before any worker or native connection exists; the result serves `/metrics` once the workers' registry exists. */
export async function installWorkerTelemetry(env: Record<string, string | undefined>): Promise<(registry: Registry) => Promise<MetricsServer | null>> {
  const port = loadWorkerMetricsPort(env);
  const { sdkMetricsUrl } = installTemporalRuntime(port === null ? {} : { sdkMetricsPort: await freePort() });
  return (registry) => (port === null ? Promise.resolve(null) : serveMetrics(port, registry, sdkMetricsUrl));
}
