/**
 * Waits (the heartbeating polls that run while a customer decides) have a task queue of their own,
 * served by a worker sized for idle I/O, so that a lunchtime queue of customers never holds the slots
 * that set-up, capture, cancel and refund activities need. Derived from the payments queue, so the
 * workflow and the worker agree on it without another setting.
 */
export function waitsTaskQueue(paymentsTaskQueue: string): string {
  return `${paymentsTaskQueue}-waits`;
}
