/**
 * The poll's wait between two reads: `ms`, or less when `nudged` resolves (a webhook); rejects with
 * the activity's cancellation (`cancelled` is its `cancellationSignal`).
 *
 * Not `Context.sleep`: each of its calls leaves a reaction, holding its timer, on the activity's
 * never-settling `cancelled` promise, so a poll kept one per read for as long as its customer
 * waited (at 1,000 payments waiting about two minutes, 85 MB of the worker's RSS, measured). Here
 * the listener and the timer go when the pause ends, however it ends.
 */
export function pause(cancelled: AbortSignal, ms: number, nudged: Promise<void>): Promise<void> {
  if (cancelled.aborted) return Promise.reject(cancelled.reason as Error);
  return new Promise<void>((resolve, reject) => {
    const end = (settle: () => void) => () => {
      clearTimeout(timer);
      cancelled.removeEventListener('abort', onCancel);
      settle();
    };
    const onCancel = end(() => reject(cancelled.reason as Error));
    const timer = setTimeout(end(resolve), ms);
    cancelled.addEventListener('abort', onCancel, { once: true });
    void nudged.then(end(resolve));
  });
}
