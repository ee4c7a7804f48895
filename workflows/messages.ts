/**
 * The workflow's message surface, shared by the ingress (which sends) and the workflow (which
 * handles). POS commands are updates with validators; webhooks and the operator's cancel are signals.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CreatePaymentRequest, OpenResult, PaymentResource, RefundResult } from './payment';
import type { ProviderSignal } from './provider-contract';
import type { TerminalResource } from './terminal';

export const WORKFLOW_TYPE = 'paymentWorkflow';

/** Create (update-with-start): answers once the payment can be shown to the customer, or has failed. */
export const openUpdate = defineUpdate<OpenResult, [CreatePaymentRequest]>('open');
export const cancelUpdate = defineUpdate<PaymentResource, [{ reason: string | null }]>('cancel');
export const captureUpdate = defineUpdate<PaymentResource, [{ amount: number | null }]>('capture');
/** SEQR-style "try again": another customer window with the same provider charge. */
export const retryUpdate = defineUpdate<PaymentResource, []>('retry');
export const refundUpdate = defineUpdate<RefundResult, [{ amount: number; refund_id: string | null; reason: string | null }]>('refund');

/** Operators cancel from the Web UI or CLI: `temporal workflow signal --name cancel --input '{"reason":"..."}'`. */
export const cancelSignal = defineSignal<[{ reason?: string | null } | undefined]>('cancel');
export const providerSignal = defineSignal<[ProviderSignal]>('provider');
/**
 * A verified webhook, as an update: its validator refuses a wake the payment does not need (it is
 * not waiting on the provider, or it was woken less than a poll interval ago), and a refused update
 * writes no history. The ingress falls back to `providerSignal` (durable) when no worker answers.
 */
export const wakeUpdate = defineUpdate<void, [ProviderSignal]>('wake');

export const paymentQuery = defineQuery<PaymentResource>('payment');
/**
 * The memo field that holds the payment resource, upserted with every new version (payments started
 * from 0.5.0 on). Temporal serves it without a worker: `describe` for reads, the history's
 * `WorkflowPropertiesModified` events for long polls, the visibility record for lists.
 */
export const PAYMENT_MEMO = 'payment';
/** Past this size (JSON characters) the memo holds only the version: readers then query the workflow. */
export const MEMO_BUDGET_CHARS = 16_384;
export type PublishedPayment = PaymentResource | { id: string; version: number; omitted: true };
/**
 * The long poll: completes with the payment once its version passes the one given. The ingress
 * sends it with an update id derived from that version, so every till waiting on the same version
 * attaches to one update: history grows with the payment's changes, never with how often tills ask.
 */
export const waitForChangeUpdate = defineUpdate<PaymentResource, [number]>('waitForChange');

export const TERMINAL_WORKFLOW_TYPE = 'terminalWorkflow';
/** Registers the till once and assigns its sticker; repeating it changes nothing. */
export const registerTerminalUpdate = defineUpdate<TerminalResource, [{ sticker_id: string; name: string }]>('register');
export const unregisterTerminalUpdate = defineUpdate<TerminalResource, []>('unregister');
export const terminalQuery = defineQuery<TerminalResource>('terminal');

export const IDEMPOTENCY_KEY_WORKFLOW_TYPE = 'idempotencyKeyWorkflow';
/** Claims an Idempotency-Key for a payment; answers the payment that owns the key. */
export const claimKeyUpdate = defineUpdate<string, [string]>('claim');
