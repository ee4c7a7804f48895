/**
 * One long-lived entity workflow per till and provider: registers the till once, assigns its
 * sticker, unregisters it, and answers what it is. Commands run one at a time, so two concurrent
 * registrations cannot register the till twice. It continues as new when its history grows long,
 * after letting running commands finish.
 */
import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { registerTerminalUpdate, terminalQuery, unregisterTerminalUpdate } from './messages';
import { ERROR_CODES } from './payment';
import type { TerminalActivities, TerminalInput, TerminalResource } from './terminal';

const acts = proxyActivities<TerminalActivities>({
  startToCloseTimeout: '20s',
  retry: { initialInterval: '500ms', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 5 },
});

const STICKER = /^[A-Za-z0-9]{1,64}$/;

export async function terminalWorkflow(input: TerminalInput): Promise<TerminalResource> {
  const now = () => new Date().toISOString();
  const terminal: TerminalResource = input.carried ?? {
    id: input.id,
    merchant_id: input.merchant_id,
    pos_id: input.pos_id,
    provider: input.provider,
    status: 'unregistered',
    terminal_id: null,
    sticker_id: null,
    name: null,
    version: 1,
    registered_at: null,
    updated_at: now(),
  };
  const context = { merchant_id: input.merchant_id, pos_id: input.pos_id, provider: input.provider };
  const changed = () => {
    terminal.version += 1;
    terminal.updated_at = now();
  };

  // One command at a time: provider registration is not idempotent.
  let busy = false;
  const exclusively = async <T>(work: () => Promise<T>): Promise<T> => {
    await condition(() => !busy);
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  };

  setHandler(terminalQuery, () => terminal);

  setHandler(
    registerTerminalUpdate,
    ({ sticker_id, name }) => exclusively(async () => {
      if (terminal.status !== 'registered' || terminal.terminal_id === null) {
        const { terminal_id } = await acts.registerTerminal(context, name);
        Object.assign(terminal, { status: 'registered', terminal_id, name, registered_at: now(), sticker_id: null });
        changed();
      }
      if (terminal.sticker_id !== sticker_id) {
        await acts.assignSticker(context, terminal.terminal_id as string, sticker_id);
        terminal.sticker_id = sticker_id;
        changed();
      }
      return terminal;
    }),
    {
      validator: ({ sticker_id, name }: { sticker_id: string; name: string }) => {
        const errors = [
          ...(STICKER.test(sticker_id) ? [] : [{ field: 'sticker_id', message: 'must be alphanumeric, 1 to 64 characters' }]),
          ...(name.length >= 1 && name.length <= 64 ? [] : [{ field: 'name', message: 'must be 1 to 64 characters' }]),
        ];
        if (errors.length > 0) {
          throw ApplicationFailure.create({ type: ERROR_CODES.validationFailed, message: 'invalid terminal registration', nonRetryable: true, details: errors });
        }
      },
    },
  );

  setHandler(unregisterTerminalUpdate, () => exclusively(async () => {
    if (terminal.status === 'registered' && terminal.terminal_id !== null) {
      await acts.unregisterTerminal(context, terminal.terminal_id);
      Object.assign(terminal, { status: 'unregistered', terminal_id: null, sticker_id: null });
      changed();
    }
    return terminal;
  }));

  await condition(() => workflowInfo().continueAsNewSuggested);
  await condition(allHandlersFinished);
  return continueAsNew<typeof terminalWorkflow>({ ...input, carried: terminal });
}
