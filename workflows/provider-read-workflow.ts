/**
 * A read the ingress needs from a provider (e.g. Paysera's spots), run on a worker: the worker holds
 * the provider's credentials, the ingress does not. One activity, tried once: the caller is waiting
 * and asks again if it wants. Generic on purpose: the read is named by strings the ingress got from
 * the provider's own plugin, so this file knows no provider.
 */
import { proxyActivities } from '@temporalio/workflow';

export const PROVIDER_READ_WORKFLOW_TYPE = 'providerReadWorkflow';

export interface ProviderReadInput {
  provider: string;
  read: string;
  input: unknown;
  merchant_id: string;
}

export interface ProviderReadActivities {
  readFromProvider(input: ProviderReadInput): Promise<unknown>;
}

const acts = proxyActivities<ProviderReadActivities>({ startToCloseTimeout: '30s', retry: { maximumAttempts: 1 } });

export async function providerReadWorkflow(input: ProviderReadInput): Promise<unknown> {
  return acts.readFromProvider(input);
}
