/**
 * Exactly-once for provider calls that have no idempotency key (SEQR `refundPayment`, Tabby session
 * create). Such a call is attempted inside one activity attempt, which never lets Temporal retry it
 * on its own errors; so when Temporal does start a second attempt, the first one was interrupted —
 * the worker died, or the attempt timed out — possibly after the provider acted on the call. The
 * adapter must then find out what happened where the protocol allows, or report the documented
 * unknown outcome for an operator; never call again blindly.
 */
import { Context } from '@temporalio/activity';

export function followsAnInterruptedAttempt(): boolean {
  return Context.current().info.attempt > 1;
}
