/** The provider-read workflow's one activity: the named read of the provider's worker side. */
import { ApplicationFailure } from '@temporalio/activity';
import type { ProviderReadActivities } from '../workflows/provider-read-workflow';
import type { ProviderRegistry } from './payment-activities';

export function createProviderReadActivities(providers: ProviderRegistry): ProviderReadActivities {
  return {
    readFromProvider: async ({ provider, read, input, merchant_id }) => {
      const reader = providers.get(provider)?.reads?.[read];
      if (!reader) throw ApplicationFailure.nonRetryable(`provider ${provider} has no read ${read} on this worker`, 'configuration_error');
      return reader(input, merchant_id);
    },
  };
}
