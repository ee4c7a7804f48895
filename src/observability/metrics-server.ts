/**
 * The worker process's `/metrics` (WORKER_METRICS_PORT): our business metrics and the Temporal SDK's
 * own in one scrape. The SDK's Core serves its metrics on a loopback port of its own
 * (temporal-runtime.ts); each scrape here reads it and appends it, so Prometheus needs one target
 * per worker and the SDK's port is never exposed. The names cannot collide: ours start with `pos_`
 * (and Node's process metrics), the SDK's with `temporal_`.
 */
import { createServer, type Server } from 'node:http';
import type { Registry } from 'prom-client';
import { logger } from './logger';

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** How long a scrape waits for the SDK's exporter before answering with our metrics only. */
const SDK_SCRAPE_TIMEOUT_MS = 2_000;

export function serveMetrics(port: number, registry: Registry, sdkMetricsUrl: string | null): Promise<MetricsServer> {
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    void Promise.all([registry.metrics(), sdkMetrics(sdkMetricsUrl)]).then(
      ([ours, sdk]) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(`${ours}\n${sdk}`),
      (error: unknown) => {
        logger.error({ err: error }, 'metrics scrape failed');
        res.writeHead(500).end();
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => {
      const address = server.address();
      resolve({
        port: typeof address === 'object' && address ? address.port : port,
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          server.closeAllConnections();
        }),
      });
    });
  });
}

/** The SDK's exposition text; empty (and a warning logged) when its exporter does not answer. */
async function sdkMetrics(url: string | null): Promise<string> {
  if (!url) return '';
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(SDK_SCRAPE_TIMEOUT_MS) });
    return response.ok ? await response.text() : '';
  } catch (error) {
    logger.warn({ err: error, url }, 'the Temporal SDK metrics exporter did not answer; serving business metrics only');
    return '';
  }
}
