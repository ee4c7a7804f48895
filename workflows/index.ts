/** The worker's workflow bundle entry: only deterministic workflow code is reachable from here. */
export { paymentWorkflow } from './payment-workflow';
export { terminalWorkflow } from './terminal-workflow';
export { housekeepingWorkflow } from './housekeeping-workflow';
export { idempotencyKeyWorkflow } from './idempotency-key-workflow';
export { providerReadWorkflow } from './provider-read-workflow';
