/**
 * Terminal registration (seqr.md §3): registerTerminal by a reseller user, unregisterTerminal and
 * assignSeqrId by the terminal itself.
 */
import type { z } from 'zod';
import { ClientFault, isAnswer, refusal, success, type OpAnswer } from './answers';
import { authenticate, authenticateTerminal } from './auth';
import { newTerminalId } from './ids';
import type { InvoiceLifecycle } from './lifecycle';
import type { assignSeqrIdRequest, registerTerminalRequest, unregisterTerminalRequest } from './requests';
import type { SeqrStore } from './store';

/** seqr.md §5.2: 21 ACCESS_DENIED is "terminal password shorter than 4 characters". */
const MIN_TERMINAL_PASSWORD = 4;
const SEQR_ID = /^[A-Za-z0-9]+$/;

export class TerminalOperations {
  constructor(
    private readonly store: SeqrStore,
    private readonly lifecycle: InvoiceLifecycle,
  ) {}

  /**
   * Always a new terminal, even for an externalTerminalId seen before: SEQR does not de-duplicate
   * (our service avoids registering twice itself).
   */
  registerTerminal(request: z.output<typeof registerTerminalRequest>): OpAnswer {
    const caller = authenticate(this.store, request.context);
    if (isAnswer(caller)) return caller;
    if (caller.type !== 'RESELLERUSER') return refusal(21, 'registerTerminal needs a RESELLERUSER principal');
    if ((request.password ?? '').length < MIN_TERMINAL_PASSWORD) return refusal(21, `the terminal password must have at least ${MIN_TERMINAL_PASSWORD} characters`);
    if (!request.externalTerminalId || !request.name) throw new ClientFault('registerTerminal needs externalTerminalId and name');
    const terminalId = newTerminalId();
    this.store.addTerminal({
      terminalId,
      resellerId: caller.reseller.id,
      externalTerminalId: request.externalTerminalId,
      name: request.name,
      password: request.password ?? '',
      seqrId: null,
      registered: true,
      registeredAt: new Date(),
      currentInvoice: null,
    });
    return success({ terminalId });
  }

  /**
   * The API page has the terminal's own context name the terminal to remove; the certification
   * PDF says RESELLERUSER (seqr.md §2, conflict). A reseller context names no terminal (the
   * request has no other element), so the sandbox authenticates it and answers 91: only a
   * TERMINALID context can say which terminal to remove.
   */
  unregisterTerminal(request: z.output<typeof unregisterTerminalRequest>): OpAnswer {
    const caller = authenticate(this.store, request.context);
    if (isAnswer(caller)) return caller;
    if (caller.type === 'RESELLERUSER') return refusal(91, 'unregisterTerminal with a RESELLERUSER context names no terminal; use the terminal\'s TERMINALID context');
    const terminal = caller.terminal;
    terminal.registered = false;
    terminal.seqrId = null;
    this.lifecycle.terminalRemoved(terminal);
    return success();
  }

  /** Alphanumeric and unique across SEQR (53 otherwise); assigning again replaces the terminal's previous id. */
  assignSeqrId(request: z.output<typeof assignSeqrIdRequest>): OpAnswer {
    const terminal = authenticateTerminal(this.store, request.context);
    if (isAnswer(terminal)) return terminal;
    const seqrId = request.seqrId ?? '';
    if (!SEQR_ID.test(seqrId)) return refusal(53, 'a SEQR id is alphanumeric');
    const holder = this.store.terminalBySeqrId(seqrId);
    if (holder !== undefined && holder !== terminal) return refusal(53, `SEQR id ${seqrId} is assigned to another terminal`);
    terminal.seqrId = seqrId;
    return success();
  }
}
