/**
 * The OpenTelemetry workflow interceptors (@temporalio/interceptors-opentelemetry), behind a patch.
 * They add yield points to handlers and activity scheduling, so a history written without them does
 * not replay with them (release 0.1.0's and 0.2.0's histories prove it). Whether a workflow is traced
 * is therefore decided once, when its main function starts, by `patched(TRACING_PATCH)`: a workflow
 * that started under this release is traced from its first task; one that started before replays
 * and continues untraced. Until then (an update-with-start's update runs first) calls pass straight on.
 */
import { interceptors as openTelemetryInterceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
import { patched, type WorkflowInboundCallsInterceptor, type WorkflowInterceptors } from '@temporalio/workflow';

export const TRACING_PATCH = 'opentelemetry-tracing';

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** `interceptor` with every method running only while `on()`, and otherwise handing the call on untouched. */
function gated<T extends object>(interceptor: T, on: () => boolean): T {
  const methods: Record<string, Method> = {};
  for (const name of Object.getOwnPropertyNames(Object.getPrototypeOf(interceptor))) {
    const method = (interceptor as Record<string, unknown>)[name];
    if (name === 'constructor' || typeof method !== 'function') continue;
    methods[name] = (input, next) => (on() ? (method as Method).call(interceptor, input, next) : next(input));
  }
  return methods as T;
}

export const interceptors = (): WorkflowInterceptors => {
  let traced = false;
  const on = () => traced;
  const otel = openTelemetryInterceptors();
  const [otelInbound] = otel.inbound ?? [];
  const inbound: WorkflowInboundCallsInterceptor = {
    ...(otelInbound ? gated(otelInbound, on) : {}),
    execute: (input, next) => {
      traced = patched(TRACING_PATCH);
      return traced && otelInbound?.execute ? otelInbound.execute(input, next) : next(input);
    },
  };
  return {
    inbound: [inbound],
    outbound: (otel.outbound ?? []).map((interceptor) => gated(interceptor, on)),
    internals: (otel.internals ?? []).map((interceptor) => gated(interceptor, on)),
  };
};
