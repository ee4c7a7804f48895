/** Till registration as Temporal calls: register is update-with-start on the till's entity workflow. */
import { Client, WithStartWorkflowOperation, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { registerTerminalUpdate, TERMINAL_WORKFLOW_TYPE, unregisterTerminalUpdate } from '../../workflows/messages';
import type { CreatePaymentRequest } from '../../workflows/payment';
import { terminalKey, type TerminalInput, type TerminalResource } from '../../workflows/terminal';
import { readTerminal, terminalLookup } from '../terminal-directory';
import { HttpProblem, problems } from './problem';
import { WorkerReads } from './worker-reads';

export class TerminalGateway {
  constructor(
    private readonly client: Client,
    private readonly taskQueue: string,
    /** A till's registration is a query on its workflow: bounded, 503 worker_unavailable when no worker answers. */
    private readonly reads: WorkerReads = new WorkerReads(client),
  ) {}

  async register(merchantId: string, posId: string, provider: string, body: { sticker_id: string; name: string }): Promise<TerminalResource> {
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

  /**
   * The till's registration. A till that is not registered (never, or unregistered since) is a
   * resource that does not exist: 404 until the next PUT registers it again.
   */
  async get(merchantId: string, posId: string, provider: string): Promise<TerminalResource> {
    const terminal = await this.reads.run(`till ${posId}`, () => readTerminal(this.client, merchantId, posId, provider));
    if (terminal?.status !== 'registered') throw notRegistered(posId, provider);
    return terminal;
  }

  /**
   * Unregisters the till at the provider; answers the terminal as it ends (`status: unregistered`).
   * Only a registered till can be unregistered: otherwise 404, as GET answers. A DELETE repeated
   * (say, after a lost answer) changes nothing and gets that 404: the till is unregistered either way.
   */
  async unregister(merchantId: string, posId: string, provider: string): Promise<TerminalResource> {
    await this.get(merchantId, posId, provider);
    try {
      return await this.client.workflow.getHandle(terminalKey(merchantId, posId, provider)).executeUpdate(unregisterTerminalUpdate);
    } catch (error) {
      throw problemOf(error);
    }
  }

  /**
   * 422 before anything starts when a payment names a till that is not registered, or names a
   * sticker (`provider_options.<stickerField>`, optional) other than the one registered for the till.
   */
  async requireRegistered(merchantId: string, request: CreatePaymentRequest, stickerField: string): Promise<void> {
    const { pos_id: posId, provider } = request;
    const till = await this.reads.run(`till ${posId}`, () => terminalLookup(this.client, provider)(merchantId, posId));
    if (!till) {
      throw new HttpProblem(422, 'terminal_not_registered', `till ${posId} is not registered for ${provider}: PUT /v1/terminals/${posId}/${provider} first`,
        { errors: [{ field: 'pos_id', message: `is not registered for ${provider}` }] });
    }
    const named = request.provider_options[stickerField];
    if (named !== undefined && named !== till.sticker_id) {
      throw problems.validation([{ field: `provider_options.${stickerField}`, message: `is ${named} but till ${posId} is registered with ${stickerField} ${till.sticker_id}` }]);
    }
  }
}

const notRegistered = (posId: string, provider: string) =>
  problems.notFound(`till ${posId} is not registered for ${provider}: PUT /v1/terminals/${posId}/${provider} registers it`);

/** Validation failures keep their field messages; a provider refusing the registration is a 502-style problem. */
function problemOf(error: unknown): unknown {
  const failure = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
  if (failure instanceof ApplicationFailure && failure.type === 'validation_failed') {
    return problems.validation(failure.details as { field: string; message: string }[]);
  }
  if (error instanceof WorkflowUpdateFailedError) {
    // The update failed on its activity: the activity failure's cause is the provider's answer.
    const cause = failure instanceof Error && failure.cause instanceof Error ? failure.cause : failure;
    return new HttpProblem(502, 'provider_error', `the provider refused: ${cause?.message ?? error.message}`);
  }
  return error;
}
