/**
 * An abort signal that fires after `timeoutMs` or when any of `linked` fires. Built from a plain
 * controller and timer on purpose: on Node 20, signals made by `AbortSignal.any` can be garbage
 * collected with their listeners while a call still waits on them, and under load the deadline
 * then never fires (long polls hung past their timeout in the benchmark).
 */
export interface Deadline {
  signal: AbortSignal;
  /** Stops the timer and unlinks; call when the guarded work is over. */
  clear(): void;
}

export function deadline(timeoutMs: number, ...linked: AbortSignal[]): Deadline {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = setTimeout(abort, timeoutMs);
  for (const signal of linked) signal.addEventListener('abort', abort, { once: true });
  return {
    signal: controller.signal,
    clear: () => {
      clearTimeout(timer);
      for (const signal of linked) signal.removeEventListener('abort', abort);
    },
  };
}
