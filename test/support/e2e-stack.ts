/**
 * One embedded stack per test file: real Temporal dev server, Settle sandbox, worker and ingress,
 * with production's code paths and test-sized timings (through configuration only).
 */
import { after, before } from 'node:test';
import { startStack, type RunningStack, type StackOptions } from '../../src/stack';
import { PayseraCustomer } from './paysera-customer';
import { recordHistory } from './histories';
import { Pos } from './pos';
import { SeqrCustomer } from './seqr-customer';
import { SettleCustomer } from './settle-customer';
import { TabbyCustomer } from './tabby-customer';

export const FAST_TIMINGS: Record<string, string> = {
  SETTLE_POLL_INTERVAL_MS: '200',
  POLL_HEARTBEAT_TIMEOUT_SECONDS: '2',
  PAYMENT_REFUND_WINDOW_SECONDS: '600',
  PROVIDER_REQUEST_TIMEOUT_MS: '2000',
  TABBY_POLL_INTERVAL_MS: '300',
  TABBY_MIN_TIMEOUT_SECONDS: '3',
};

export interface E2e {
  stack: RunningStack;
  /** POS of merchant `m-a`, and of merchant `m-b` for scoping tests. */
  pos: Pos;
  otherPos: Pos;
  settle: SettleCustomer;
  tabby: TabbyCustomer;
  seqr: SeqrCustomer;
  paysera: PayseraCustomer;
  /** With RECORD_HISTORIES=1, adds the payment's history to the replay corpus as test/histories/<release>/<name>.json. */
  recordHistory(name: string, paymentId: string): Promise<void>;
}

export function useStack(options: Partial<StackOptions> = {}): () => E2e {
  let e2e: E2e | undefined;
  before(async () => {
    const stack = await startStack({
      ingressPort: 0,
      temporalPort: 0,
      uiPort: null,
      ...options,
      env: { POS_API_KEYS: 'key-a=m-a,key-b=m-b', ...FAST_TIMINGS, ...options.env },
    });
    e2e = {
      stack,
      pos: new Pos(stack.ingressUrl, 'key-a'),
      otherPos: new Pos(stack.ingressUrl, 'key-b'),
      settle: new SettleCustomer(stack.sandboxUrl('settle'), stack.env.SETTLE_SHORTLINK_ID ?? ''),
      tabby: new TabbyCustomer(stack.sandboxUrl('tabby')),
      seqr: new SeqrCustomer(stack.sandboxUrl('seqr')),
      paysera: new PayseraCustomer(stack.sandboxUrl('paysera')),
      async recordHistory(name, paymentId) {
        if (process.env.RECORD_HISTORIES !== '1') return;
        recordHistory(name, await stack.client.workflow.getHandle(paymentId).fetchHistory());
      },
    };
  });
  after(async () => {
    await e2e?.stack.stop();
  });
  return () => {
    if (!e2e) throw new Error('the stack is not running');
    return e2e;
  };
}
