/**
 * The ingress side of provider reads: a route of a provider's own (e.g. `GET /v1/paysera/spots`)
 * asks a worker, through the provider-read workflow, for what only the provider's credentials can
 * read. A provider failing to answer is 502 provider_unavailable; no worker answering in time is
 * 503 worker_unavailable; Temporal unreachable is 503 temporal_unavailable (problem.ts).
 */
import { randomUUID } from 'node:crypto';
import { ActivityFailure, ApplicationFailure, WorkflowFailedError, type Client } from '@temporalio/client';
import type { IngressContext } from '../../activities/provider-plugin';
import { PROVIDER_READ_WORKFLOW_TYPE, type providerReadWorkflow, type ProviderReadInput } from '../../workflows/provider-read-workflow';
import { HttpProblem } from './problem';
import { WorkerReads } from './worker-reads';

/** A read may make several provider calls (each bounded by PROVIDER_REQUEST_TIMEOUT_MS). */
const PROVIDER_READ_TIMEOUT_MS = 15_000;

/** The provider's refusal or silence, as the activity reported it. */
function providerFailure(error: unknown): ApplicationFailure | null {
  if (!(error instanceof WorkflowFailedError) || !(error.cause instanceof ActivityFailure)) return null;
  return error.cause.cause instanceof ApplicationFailure ? error.cause.cause : null;
}

export function providerReads(client: Client, taskQueue: string): (provider: string) => IngressContext {
  const reads = new WorkerReads(client, PROVIDER_READ_TIMEOUT_MS);
  return (provider) => ({
    read: async (read, input, merchantId) => {
      const args: [ProviderReadInput] = [{ provider, read, input, merchant_id: merchantId }];
      try {
        return await reads.run(`${provider} ${read}`, () => client.workflow.execute<typeof providerReadWorkflow>(PROVIDER_READ_WORKFLOW_TYPE, {
          workflowId: `provider-read:${provider}:${randomUUID()}`,
          taskQueue,
          args,
          // A read nobody waits for any more must not linger.
          workflowExecutionTimeout: '1 minute',
          staticSummary: `${provider} ${read}`,
        }));
      } catch (error) {
        const failure = providerFailure(error);
        if (failure?.type === 'provider_unavailable') throw new HttpProblem(502, 'provider_unavailable', failure.message);
        throw error;
      }
    },
  });
}
