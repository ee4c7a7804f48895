/** The watcher's one activity: a sweep by the provider's worker side. */
import { ApplicationFailure } from '@temporalio/activity';
import type { HousekeepingActivities } from '../workflows/housekeeping-workflow';
import type { ProviderRegistry } from './payment-activities';

export function createHousekeepingActivities(providers: ProviderRegistry): HousekeepingActivities {
  return {
    housekeep: async (provider) => {
      const housekeeping = providers.get(provider)?.housekeeping;
      if (!housekeeping || !('sweep' in housekeeping)) throw ApplicationFailure.nonRetryable(`provider ${provider} has no housekeeping on this worker`, 'configuration_error');
      return housekeeping.sweep();
    },
  };
}
