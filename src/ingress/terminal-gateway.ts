/** Till registration as Temporal calls: register is update-with-start on the till's entity workflow. */
import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { registerTerminalUpdate, TERMINAL_WORKFLOW_TYPE, terminalQuery, unregisterTerminalUpdate } from '../../workflows/messages';
import type { ProviderName } from '../../workflows/payment';
import { terminalKey, type TerminalInput, type TerminalResource } from '../../workflows/terminal';
import { terminalLookup } from '../terminal-directory';
import { HttpProblem, problems } from './problem';

export class TerminalGateway {
  constructor(private readonly client: Client, private readonly taskQueue: string) {}

  async register(merchantId: string, posId: string, provider: ProviderName, body: { sticker_id: string; name: string }): Promise<TerminalResource> {
    const id = terminalKey(merchantId, posId, provider);
    const input: TerminalInput = { id, merchant_id: merchantId, pos_id: posId, provider, carried: null };
    const startWorkflowOperation = new WithStartWorkflowOperation(TERMINAL_WORKFLOW_TYPE, {
      workflowId: id,
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `${provider} terminal · ${posId}`,
    });
    try {
      return await this.client.workflow.executeUpdateWithStart(registerTerminalUpdate, { args: [body], startWorkflowOperation });
    } catch (error) {
      throw problemOf(error);
    }
  }

  async get(merchantId: string, posId: string, provider: ProviderName): Promise<TerminalResource> {
    try {
      return await this.client.workflow.getHandle(terminalKey(merchantId, posId, provider)).query(terminalQuery);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) throw problems.notFound(`till ${posId} was never registered for ${provider}`);
      throw error;
    }
  }

  async unregister(merchantId: string, posId: string, provider: ProviderName): Promise<TerminalResource> {
    await this.get(merchantId, posId, provider);
    try {
      return await this.client.workflow.getHandle(terminalKey(merchantId, posId, provider)).executeUpdate(unregisterTerminalUpdate);
    } catch (error) {
      throw problemOf(error);
    }
  }

  /** 422 before anything starts when a payment names a till that is not registered. */
  async requireRegistered(merchantId: string, posId: string, provider: ProviderName): Promise<void> {
    if (await terminalLookup(this.client, provider)(merchantId, posId)) return;
    throw new HttpProblem(422, 'terminal_not_registered', 'Terminal not registered',
      `till ${posId} is not registered for ${provider}: PUT /v1/terminals/${posId}/${provider} first`,
      { errors: [{ field: 'pos_id', message: `is not registered for ${provider}` }] });
  }
}

/** Validation failures keep their field messages; a provider refusing the registration is a 502-style problem. */
function problemOf(error: unknown): unknown {
  const failure = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (failure instanceof ApplicationFailure && failure.type === 'validation_failed') {
    return problems.validation(failure.details as { field: string; message: string }[]);
  }
  if (error instanceof WorkflowUpdateFailedError) {
    // The update failed on its activity: the activity failure's cause is the provider's answer.
    const cause = failure instanceof Error && failure.cause instanceof Error ? failure.cause : failure;
    return new HttpProblem(502, 'provider_error', 'Provider error', `the provider refused: ${cause?.message ?? error.message}`);
  }
  return error;
}
