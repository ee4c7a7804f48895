/**
 * The Temporal runtime of a worker process: its logs (the SDK's own, the Core's forwarded ones, and
 * every workflow's and activity's `log`) go to the process logger, and, when asked, the SDK's metrics
 * are served in Prometheus text on a loopback port for worker-metrics.ts to merge into `/metrics`.
 *
 * `Runtime.install` works once per process and only before anything created a worker or a native
 * connection; the embedded stack may be started more than once in a test process, so a second call
 * is a no-op, and a runtime something else created first is kept (and said so).
 */
import type { LogLevel, LogMetadata, Logger as TemporalLogger } from '@temporalio/common';
import { IllegalStateError } from '@temporalio/common';
import { makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import { logger, type Logger } from './logger';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error',
};

/** Temporal's logger interface on top of pino: the SDK's metadata (workflow id, activity type, ...) become fields. */
export class TemporalLogs implements TemporalLogger {
  constructor(private readonly target: Logger) {}
  log(level: LogLevel, message: string, meta?: LogMetadata): void {
    this.target[LEVELS[level]](meta ?? {}, message);
  }
  trace(message: string, meta?: LogMetadata): void { this.log('TRACE', message, meta); }
  debug(message: string, meta?: LogMetadata): void { this.log('DEBUG', message, meta); }
  info(message: string, meta?: LogMetadata): void { this.log('INFO', message, meta); }
  warn(message: string, meta?: LogMetadata): void { this.log('WARN', message, meta); }
  error(message: string, meta?: LogMetadata): void { this.log('ERROR', message, meta); }
}

let installed: { sdkMetricsUrl: string | null } | null = null;

/**
 * Installs the runtime (once); `sdkMetricsPort` binds the SDK's Prometheus exporter on 127.0.0.1.
 * Returns where the SDK's metrics are scraped, or null when this process serves none.
 */
export function installTemporalRuntime(options: { sdkMetricsPort?: number } = {}): { sdkMetricsUrl: string | null } {
  if (installed) return installed;
  const bindAddress = options.sdkMetricsPort === undefined ? null : `127.0.0.1:${options.sdkMetricsPort}`;
  try {
    install(bindAddress);
    installed = { sdkMetricsUrl: bindAddress ? `http://${bindAddress}/metrics` : null };
  } catch (error) {
    if (!(error instanceof IllegalStateError)) throw error;
    logger.warn({ err: error }, 'the Temporal runtime was created before ours: its logs keep its own logger and it serves no SDK metrics');
    installed = { sdkMetricsUrl: null };
  }
  return installed;
}

function install(bindAddress: string | null): void {
  Runtime.install({
    logger: new TemporalLogs(logger.child({ component: 'temporal' })),
    telemetryOptions: {
      logging: { forward: {}, filter: makeTelemetryFilterString({ core: 'WARN' }) },
      ...(bindAddress
        ? { metrics: { prometheus: { bindAddress, countersTotalSuffix: true, unitSuffix: true, useSecondsForDurations: true } } }
        : {}),
    },
  });
}
