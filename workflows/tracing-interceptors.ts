/**
 * The OpenTelemetry workflow interceptors (@temporalio/interceptors-opentelemetry), behind a patch.
 * They add yield points to handlers and activity scheduling, so a history written without them does
 * not replay with them (release 0.1.0's and 0.2.0's histories prove it). Whether a workflow is traced
 * is therefore decided once, when its main function starts, and recorded by `patched(TRACING_PATCH)`:
 * - on its first run, only a workflow whose starter asked for tracing in its memo (`TRACING_MEMO`,
 *   set by the ingress while it exports traces) takes the patch. Tracing costs memory in every cached
 *   workflow (spans live as long as it does: ~2.7 MB each, measured), so nobody pays it while no one
 *   collects traces;
 * - replaying, the history decides: traced exactly when it has the patch marker. So a workflow keeps
 *   its first run's choice on every worker, whatever that worker's configuration.
 * Until then (an update-with-start's update runs first) calls pass straight on.
 */
import { interceptors as openTelemetryInterceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
import { patched, workflowInfo, type WorkflowInboundCallsInterceptor, type WorkflowInterceptors } from '@temporalio/workflow';
import { TRACING_MEMO } from './tracing-memo';

export const TRACING_PATCH = 'opentelemetry-tracing';

/** Whether this workflow is traced: the history's answer when replaying, the starter's wish on its first run. */
function decideTracing(): boolean {
  const info = workflowInfo();
  if (info.unsafe.isReplaying) return patched(TRACING_PATCH);
  return info.memo?.[TRACING_MEMO] === true && patched(TRACING_PATCH);
}

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
      traced = decideTracing();
      return traced && otelInbound?.execute ? otelInbound.execute(input, next) : next(input);
    },
  };
  return {
    inbound: [inbound],
    outbound: (otel.outbound ?? []).map((interceptor) => gated(interceptor, on)),
    internals: (otel.internals ?? []).map((interceptor) => gated(interceptor, on)),
  };
};
