/** The watcher's one activity: a sweep by the provider's module. */
import { ApplicationFailure } from '@temporalio/activity';
import type { HousekeepingActivities } from '../workflows/housekeeping-workflow';
import type { ProviderRegistry } from './payment-activities';
import { activeHousekeeping } from './provider';

export function createHousekeepingActivities(providers: ProviderRegistry): HousekeepingActivities {
  return {
    housekeep: async (provider) => {
      const housekeeping = activeHousekeeping(providers.get(provider));
      if (!housekeeping) throw ApplicationFailure.nonRetryable(`provider ${provider} has no housekeeping on this worker`, 'configuration_error');
      return housekeeping.sweep();
    },
  };
}
