/**
 * `npm run report:history`: how many history events a payment costs when the customer pays at once
 * and when they take CUSTOMER_SECONDS (default 60), for PROVIDER (settle | tabby, default settle), at
 * the providers' production poll cadence (Settle 1 s, Tabby 5 s).
 * A measurement, not a test: the customer's hesitation is real time on purpose.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack } from '../../src/stack';
import { Pos } from '../support/pos';
import { SettleCustomer, scanPayment } from '../support/settle-customer';
import { TabbyCustomer } from '../support/tabby-customer';

const customerSeconds = Number(process.env.CUSTOMER_SECONDS ?? 60);
const provider = process.env.PROVIDER ?? 'settle';

async function main(): Promise<void> {
  const stack = await startStack({ ingressPort: 0, temporalPort: 0, uiPort: null, settleSandboxPort: 0, tabbySandboxPort: 0, env: { POS_API_KEYS: 'bench=bench-merchant' } });
  try {
    const pos = new Pos(stack.ingressUrl, 'bench');
    const settle = new SettleCustomer(stack.settleSandboxUrl, stack.env.SETTLE_SHORTLINK_ID ?? '');
    const tabby = new TabbyCustomer(stack.tabbySandboxUrl);
    const order = provider === 'tabby' ? { provider, amount: 15000, currency: 'AED' } : { provider, amount: 2000, currency: 'EUR' };
    const measure = async (label: string, hesitateMs: number) => {
      const answer = await pos.create({ ...order, pos_id: 'bench', pos_tid: `bench-${hesitateMs}-${Date.now()}` });
      if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      const created = answer.body;
      // Settle's customer scans first (the request only exists after the scan); Tabby's opens the QR's link.
      const tid = provider === 'settle' ? await scanPayment(pos, settle, created) : null;
      await sleep(hesitateMs);
      if (tid) await settle.act(tid, 'approve');
      else await tabby.act(created, 'approve');
      await pos.waitForState(created.id, 'captured', hesitateMs + 30_000);
      const history = await stack.client.workflow.getHandle(created.id).fetchHistory();
      const polls = tid ? (await settle.request(tid)).outcome_reads : (await tabby.paymentOf(created)).reads;
      console.log(`${provider} ${label.padEnd(24)} ${String(history.events?.length ?? 0).padStart(4)} history events until captured, ${polls} provider polls`);
    };
    await measure('customer pays at once', 0);
    await measure(`customer takes ${customerSeconds} s`, customerSeconds * 1000);
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
