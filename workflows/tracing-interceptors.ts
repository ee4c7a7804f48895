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
 *
 * The OpenTelemetry modules themselves are loaded only by a traced workflow: each workflow evaluates
 * its own copy of every module it loads (the SDK keeps a module cache per workflow), and an untraced
 * workflow has no use for them. So the methods to gate are named here; a unit test checks the names
 * against the interceptor classes of the pinned SDK.
 */
import type { interceptors as openTelemetryInterceptors } from '@temporalio/interceptors-opentelemetry/lib/workflow-interceptors';
import {
  patched,
  workflowInfo,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
} from '@temporalio/workflow';
import { TRACING_MEMO } from './tracing-memo';

export const TRACING_PATCH = 'opentelemetry-tracing';

/** The methods the OpenTelemetry interceptors implement, by kind (`execute` is gated on its own). */
export const TRACED_METHODS = {
  inbound: ['handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery'],
  outbound: ['scheduleActivity', 'scheduleLocalActivity', 'startNexusOperation', 'startChildWorkflowExecution', 'continueAsNew', 'signalWorkflow', 'getLogAttributes', 'getMetricTags'],
  internals: ['dispose'],
} as const;

type OpenTelemetryInterceptors = ReturnType<typeof openTelemetryInterceptors>;
type Kind = keyof typeof TRACED_METHODS;
type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/** Whether this workflow is traced: the history's answer when replaying, the starter's wish on its first run. */
function decideTracing(): boolean {
  const info = workflowInfo();
  if (info.unsafe.isReplaying) return patched(TRACING_PATCH);
  return info.memo?.[TRACING_MEMO] === true && patched(TRACING_PATCH);
}

function loadOpenTelemetry(): OpenTelemetryInterceptors {
  // Loaded here, not imported at the top, so that only a traced workflow evaluates the modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors') as { interceptors: typeof openTelemetryInterceptors };
  return module.interceptors();
}

/** An interceptor of `kind` whose methods call OpenTelemetry's while `otel()` gives it, and otherwise hand the call on. */
function gated(kind: Kind, otel: () => OpenTelemetryInterceptors | null): Record<string, Method> {
  const methods: Record<string, Method> = {};
  for (const name of TRACED_METHODS[kind]) {
    methods[name] = (input, next) => {
      const interceptor = otel()?.[kind]?.[0] as Record<string, unknown> | undefined;
      const method = interceptor?.[name];
      return typeof method === 'function' ? (method as Method).call(interceptor, input, next) : next(input);
    };
  }
  return methods;
}

export const interceptors = (): WorkflowInterceptors => {
  let otel: OpenTelemetryInterceptors | null = null;
  const traced = () => otel;
  const inbound: WorkflowInboundCallsInterceptor = {
    ...(gated('inbound', traced) as WorkflowInboundCallsInterceptor),
    execute: (input, next) => {
      if (!decideTracing()) return next(input);
      otel = loadOpenTelemetry();
      const [otelInbound] = otel.inbound ?? [];
      return otelInbound?.execute ? otelInbound.execute(input, next) : next(input);
    },
  };
  return {
    inbound: [inbound],
    outbound: [gated('outbound', traced)],
    internals: [gated('internals', traced)],
  };
};
