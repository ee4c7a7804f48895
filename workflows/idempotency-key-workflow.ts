/**
 * One tiny workflow per `Idempotency-Key` (per merchant): the first payment to claim the key owns
 * it, every later claim learns which payment that is. Temporal's id uniqueness makes the claim
 * race-free, which an eventually consistent visibility query would not be. Keys are remembered for
 * the configured time (24 h by default), as payment APIs commonly do.
 */
import { allHandlersFinished, condition, setHandler, sleep } from '@temporalio/workflow';
import { claimKeyUpdate } from './messages';

export async function idempotencyKeyWorkflow(input: { remember_ms: number }): Promise<void> {
  let owner: string | null = null;
  setHandler(claimKeyUpdate, (paymentId) => {
    owner ??= paymentId;
    return owner;
  });
  await sleep(input.remember_ms, { summary: 'remember the key' });
  await condition(allHandlersFinished);
}
