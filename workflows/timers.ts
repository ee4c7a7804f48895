/** Small timing primitives for racing provider answers against POS commands and deadlines. */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';

/** A timer that only raises a flag when it fires; cancelled once nobody needs it. */
export interface FlagTimer {
  fired(): boolean;
  cancel(): void;
}

export function flagTimer(ms: number, summary: string): FlagTimer {
  const scope = new CancellationScope();
  let fired = false;
  void quietly(scope.run(() => sleep(Math.max(ms, 0), { summary }))).then((result) => {
    if (result !== null) fired = true;
  });
  return { fired: () => fired, cancel: () => scope.cancel() };
}

/** Resolves when the work is cancelled instead of rejecting, so races can drop their losers quietly. */
export function quietly<T>(promise: Promise<T>): Promise<T | null> {
  return promise.catch((error: unknown) => {
    if (isCancellation(error)) return null;
    throw error;
  });
}
