/**
 * The authorized phase: money is held (manual mode, or an auto capture a cancel overtook) until the
 * POS captures or cancels. A provider whose authorizations lapse has them renewed shortly before.
 */
import { condition } from '@temporalio/workflow';
import { PATCHES } from './patches';
import type { ProviderTraits } from './provider-contract';
import type { PaymentLifecycle } from './payment-lifecycle';

export async function authorizedPhase(lifecycle: PaymentLifecycle, traits: ProviderTraits): Promise<void> {
  const { record, intents } = lifecycle;
  // Wakes already read: a wake that arrives while a re-read is under way is read again after it
  // (before authorizedReadsEveryWake, each pass took its snapshot after the re-read and absorbed it).
  const readsEveryWake = lifecycle.patches.has(PATCHES.authorizedReadsEveryWake);
  let wakeupsRead = intents.wakeups;
  while (record.state === 'authorized') {
    if (intents.cancel) {
      await lifecycle.cancelCharge('cancelled', intents.cancel.reason ?? 'authorization released');
      break;
    }
    if (intents.capture) {
      const taken = await lifecycle.capture(intents.capture.amount);
      if (!taken && record.state === 'authorized' && lifecycle.patches.has(PATCHES.refusedCaptureIsAnswered)) intents.captureRefused();
      continue;
    }
    if (!readsEveryWake) wakeupsRead = intents.wakeups;
    const woken = () => intents.cancel !== null || intents.capture !== null || intents.wakeups !== wakeupsRead;
    const expiresAt = lifecycle.authorizationExpiresAt;
    if (traits.renew_authorization_before_ms !== null && expiresAt !== null) {
      const renewInMs = Date.parse(expiresAt) - traits.renew_authorization_before_ms - new Date().getTime();
      if (!(await condition(woken, Math.max(renewInMs, 0), { summary: 'renew authorization before it lapses' }))) {
        await lifecycle.renewAuthorization();
        continue;
      }
    } else {
      await condition(woken);
    }
    if (!intents.cancel && !intents.capture) {
      wakeupsRead = intents.wakeups;
      await lifecycle.observe('re-read after webhook');
    }
  }
}
