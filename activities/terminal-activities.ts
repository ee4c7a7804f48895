/** The terminal entity's activities, dispatched to the provider's terminal adapter. */
import { ApplicationFailure } from '@temporalio/activity';
import type { TerminalActivities, TerminalActivityContext } from '../workflows/terminal';
import type { ProviderRegistry } from './payment-activities';
import type { TerminalAdapter } from './provider';

export function createTerminalActivities(providers: ProviderRegistry): TerminalActivities {
  const adapterFor = (terminal: TerminalActivityContext): TerminalAdapter => {
    const terminals = providers.get(terminal.provider)?.terminals;
    if (!terminals) throw ApplicationFailure.nonRetryable(`provider ${terminal.provider} has no terminals on this worker`, 'configuration_error');
    return terminals;
  };
  return {
    registerTerminal: (terminal, name) => adapterFor(terminal).register(terminal.merchant_id, terminal.pos_id, name),
    assignSticker: (terminal, terminalId, stickerId) => adapterFor(terminal).assignSticker(terminal.merchant_id, terminal.pos_id, terminalId, stickerId),
    unregisterTerminal: (terminal, terminalId) => adapterFor(terminal).unregister(terminal.merchant_id, terminal.pos_id, terminalId),
  };
}
