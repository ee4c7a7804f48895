/**
 * Workflows load OpenTelemetry's interceptors only when traced, so the methods to gate are named in
 * workflows/tracing-interceptors.ts rather than read off the loaded classes. If an SDK upgrade adds a
 * method, a traced workflow would silently skip it: this test says so instead.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { OpenTelemetryInboundInterceptor, OpenTelemetryInternalsInterceptor, OpenTelemetryOutboundInterceptor } from '@temporalio/interceptors-opentelemetry/lib/workflow';
import { TRACED_METHODS } from '../../workflows/tracing-interceptors';

const methodsOf = (type: { prototype: object }) => Object.getOwnPropertyNames(type.prototype).filter((name) => name !== 'constructor').sort();

it('gates exactly the methods the pinned OpenTelemetry interceptors implement', () => {
  assert.deepEqual(methodsOf(OpenTelemetryInboundInterceptor), ['execute', ...TRACED_METHODS.inbound].sort());
  assert.deepEqual(methodsOf(OpenTelemetryOutboundInterceptor), [...TRACED_METHODS.outbound].sort());
  assert.deepEqual(methodsOf(OpenTelemetryInternalsInterceptor), [...TRACED_METHODS.internals].sort());
});
