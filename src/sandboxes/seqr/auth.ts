/**
 * Authentication from the `context` element (seqr.md §2): there is no HTTP-level auth; the
 * initiator principal and its password travel in every call. RESELLERUSER principals are the
 * configured reseller users (id + userId), TERMINALID principals the registered terminals.
 * Codes: 37 unknown reseller user, 29 unknown (or unregistered) terminal or principal type,
 * 20 wrong password, 21 a principal type the operation does not accept.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { isAnswer, refusal, type OpAnswer } from './answers';
import type { Reseller, Terminal } from './model';
import type { ContextRequest } from './requests';
import type { SeqrStore } from './store';

export type Caller = { type: 'RESELLERUSER'; reseller: Reseller } | { type: 'TERMINALID'; terminal: Terminal };

/** Compares digests so the comparison takes the same time whatever the lengths. */
function samePassword(received: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return received !== undefined && timingSafeEqual(digest(received), digest(expected));
}

export function authenticate(store: SeqrStore, context: ContextRequest | undefined): Caller | OpAnswer {
  const principal = context?.initiatorPrincipalId;
  const id = principal?.id;
  if (!id) return refusal(29, 'context.initiatorPrincipalId.id is missing');
  switch (principal.type) {
    case 'RESELLERUSER': {
      const reseller = store.resellerById(id);
      if (reseller === undefined || reseller.userId !== principal.userId) return refusal(37, `no reseller user ${id}/${principal.userId ?? '(no userId)'}`);
      return samePassword(context?.password, reseller.password) ? { type: 'RESELLERUSER', reseller } : refusal(20);
    }
    case 'TERMINALID': {
      const terminal = store.terminal(id);
      if (terminal === undefined) return refusal(29, `no registered terminal ${id}`);
      return samePassword(context?.password, terminal.password) ? { type: 'TERMINALID', terminal } : refusal(20);
    }
    default:
      return refusal(29, `principal type ${principal.type ?? '(none)'} is not RESELLERUSER or TERMINALID`);
  }
}

/** Everything but terminal registration is the terminal's own business (seqr.md §2). */
export function authenticateTerminal(store: SeqrStore, context: ContextRequest | undefined): Terminal | OpAnswer {
  const caller = authenticate(store, context);
  if (isAnswer(caller)) return caller;
  if (caller.type !== 'TERMINALID') return refusal(21, 'this operation needs a TERMINALID principal');
  return caller.terminal;
}
