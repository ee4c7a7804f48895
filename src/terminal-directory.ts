/**
 * Reads a till's registration from its terminal entity workflow. The ingress uses it to refuse a
 * payment for an unregistered till at once; the SEQR adapter to find the till's ids.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TerminalLookup } from '../activities/provider';
import { terminalQuery } from '../workflows/messages';
import { terminalKey, type TerminalResource } from '../workflows/terminal';

/** The till's entity as its workflow holds it (registered or not), or null when it was never registered. */
export async function readTerminal(client: Client, merchantId: string, posId: string, provider: string): Promise<TerminalResource | null> {
  try {
    return await client.workflow.getHandle(terminalKey(merchantId, posId, provider)).query(terminalQuery);
  } catch (error) {
    if (error instanceof WorkflowNotFoundError) return null;
    throw error;
  }
}

export function terminalLookup(client: Client, provider: string): TerminalLookup {
  return async (merchantId, posId) => {
    const terminal = await readTerminal(client, merchantId, posId, provider);
    return terminal?.status === 'registered' && terminal.terminal_id && terminal.sticker_id
      ? { terminal_id: terminal.terminal_id, sticker_id: terminal.sticker_id }
      : null;
  };
}
