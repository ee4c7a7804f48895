/**
 * OpenTelemetry traces of a payment: the POS request's server span (tracing-middleware.ts), the
 * Temporal client, workflow and activity spans (@temporalio/interceptors-opentelemetry) and each
 * provider HTTP call (activities/provider-span.ts), one trace from the till to the provider.
 *
 * Off unless asked for: with `OTEL_EXPORTER_OTLP_ENDPOINT` set, spans are batched to that collector
 * over OTLP/HTTP (the exporter reads the standard `OTEL_EXPORTER_OTLP_*` variables itself); a test
 * passes an exporter of its own. Off, no tracer provider is registered and every span is the API's
 * no-op, while the interceptors still run, so workflow code and histories do not depend on the setting.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, NoopSpanProcessor, SimpleSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  type OpenTelemetryWorkflowExporter,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';

type Env = Record<string, string | undefined>;

interface ActiveTracing {
  provider: NodeTracerProvider;
  processor: SpanProcessor;
  resource: Resource;
}

let active: ActiveTracing | null = null;

/**
 * Registers the process's tracer provider when tracing is on (`exporter`, or the OTLP endpoint in
 * `env`); `OTEL_SERVICE_NAME` overrides `serviceName`. Returns whether traces are recorded.
 */
export function startTracing(serviceName: string, env: Env, exporter?: SpanExporter): boolean {
  if (active) return true;
  const processor = exporter ? new SimpleSpanProcessor(exporter)
    : env.OTEL_EXPORTER_OTLP_ENDPOINT ? new BatchSpanProcessor(new OTLPTraceExporter())
      : null;
  if (!processor) return false;
  const resource = new Resource({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME ?? serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [processor] });
  // Global provider, AsyncLocalStorage context and W3C trace context propagation.
  provider.register();
  active = { provider, processor, resource };
  return true;
}

/** Whether this process records traces (the ingress then asks new workflows to be traced too). */
export function tracingActive(): boolean {
  return active !== null;
}

/** Sends the spans still buffered; called when the process stops. */
export async function flushTraces(): Promise<void> {
  await active?.provider.forceFlush();
}

/** The workflow interceptors' module (behind a patch), bundled with the workflow code of every worker and replayer. */
export const WORKFLOW_TRACING_MODULES = [require.resolve('../../workflows/tracing-interceptors')];

/** A span around every activity execution, a child of the workflow's span that scheduled it. */
export const activityTracing: ActivityInterceptorsFactory = (ctx) => ({
  inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
  outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
});

/**
 * Workflow code cannot export spans itself: it hands them to the `exporter` sink, which feeds them to
 * this process's span processor (a no-op one while tracing is off, so the sink always exists).
 */
export function workflowSpanSinks(): InjectedSinks<{ exporter: OpenTelemetryWorkflowExporter }> {
  return { exporter: makeWorkflowExporter(active?.processor ?? new NoopSpanProcessor(), active?.resource ?? Resource.empty()) };
}
