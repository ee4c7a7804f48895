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
 * OpenTelemetry itself is loaded only by a traced workflow. Every cached workflow has its own copy of
 * each module it loads, and OpenTelemetry's ~350 modules, tracer provider and context manager made
 * a cached payment cost 341 KB instead of 90–130 KB (measured with 300 and 400 cached payments).
 */
import {
  patched,
  workflowInfo,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptors,
  type WorkflowInternalsInterceptor,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import { TRACING_MEMO } from './tracing-memo';

export const TRACING_PATCH = 'opentelemetry-tracing';

/** Whether this workflow is traced: the history's answer when replaying, the starter's wish on its first run. */
function decideTracing(): boolean {
  const info = workflowInfo();
  if (info.unsafe.isReplaying) return patched(TRACING_PATCH);
  return info.memo?.[TRACING_MEMO] === true && patched(TRACING_PATCH);
}

/** OpenTelemetry's interceptors for this workflow, loaded on first use (a traced workflow's `execute`). */
function loadOpenTelemetry(): WorkflowInterceptors {
  // A require in a function, not an import: webpack then instantiates the modules only when called.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { interceptors } = require('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors') as typeof import('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');
  return interceptors();
}

type Method = (input: unknown, next: (input: unknown) => unknown) => unknown;

/**
 * An interceptor whose `names` run OpenTelemetry's method of that name while the workflow is traced
 * (`traced()` returns its interceptor), and otherwise hand the call on untouched.
 */
function gated<T extends object>(names: readonly (keyof T)[], traced: () => T | undefined): T {
  const methods: Record<string, Method> = {};
  for (const name of names) {
    methods[name as string] = (input, next) => {
      const interceptor = traced();
      const method = interceptor?.[name] as Method | undefined;
      return method ? method.call(interceptor, input, next) : next(input);
    };
  }
  return methods as T;
}

const INBOUND: readonly (keyof WorkflowInboundCallsInterceptor)[] = ['handleSignal', 'handleUpdate', 'validateUpdate', 'handleQuery'];
const OUTBOUND: readonly (keyof WorkflowOutboundCallsInterceptor)[] = [
  'scheduleActivity', 'scheduleLocalActivity', 'startNexusOperation', 'startTimer', 'signalWorkflow',
  'startChildWorkflowExecution', 'continueAsNew', 'getLogAttributes', 'getMetricTags',
];
const INTERNALS: readonly (keyof WorkflowInternalsInterceptor)[] = ['activate', 'concludeActivation', 'dispose'];

export const interceptors = (): WorkflowInterceptors => {
  let otel: WorkflowInterceptors | null = null;
  const traced = <K extends 'inbound' | 'outbound' | 'internals'>(kind: K) => () => otel?.[kind]?.[0] as NonNullable<WorkflowInterceptors[K]>[number] | undefined;
  const inbound: WorkflowInboundCallsInterceptor = {
    ...gated(INBOUND, traced('inbound')),
    execute: (input, next) => {
      if (!decideTracing()) return next(input);
      otel = loadOpenTelemetry();
      const execute = otel.inbound?.[0]?.execute;
      return execute ? execute.call(otel.inbound![0], input, next) : next(input);
    },
  };
  return {
    inbound: [inbound],
    outbound: [gated(OUTBOUND, traced('outbound'))],
    internals: [gated(INTERNALS, traced('internals'))],
  };
};
