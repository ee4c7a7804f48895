/**
 * A till registered with a provider that needs it (SEQR). Ids only: the terminal's password is
 * derived inside the worker and never appears here.
 */

/** A sticker id (SEQR id): what the till shows and a payment may name. */
export const STICKER_PATTERN = /^[A-Za-z0-9]{1,64}$/;

export interface TerminalResource {
  id: string;
  merchant_id: string;
  pos_id: string;
  provider: string;
  status: 'registered' | 'unregistered';
  /** The provider's id for the till (SEQR `terminalId`). */
  terminal_id: string | null;
  /** The sticker on the till (SEQR id) the customer scans. */
  sticker_id: string | null;
  name: string | null;
  version: number;
  registered_at: string | null;
  updated_at: string;
}

export interface TerminalInput {
  id: string;
  merchant_id: string;
  pos_id: string;
  provider: string;
  /** The state carried over by continue-as-new. */
  carried: TerminalResource | null;
}

export interface TerminalActivityContext {
  merchant_id: string;
  pos_id: string;
  provider: string;
}

/** Activities behind the terminal entity; dispatched to the provider's terminal adapter. */
export interface TerminalActivities {
  registerTerminal(terminal: TerminalActivityContext, name: string): Promise<{ terminal_id: string }>;
  assignSticker(terminal: TerminalActivityContext, terminalId: string, stickerId: string): Promise<void>;
  unregisterTerminal(terminal: TerminalActivityContext, terminalId: string): Promise<void>;
}

export function terminalKey(merchantId: string, posId: string, provider: string): string {
  return `terminal:${merchantId}:${posId}:${provider}`;
}
