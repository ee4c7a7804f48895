/**
 * `npm run report:history`: how many history events a Settle payment costs when the customer pays
 * at once and when they take CUSTOMER_SECONDS (default 60) — at production poll cadence (1 s).
 * A measurement, not a test: the customer's hesitation is real time on purpose.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack } from '../../src/stack';
import { Pos } from '../support/pos';
import { SettleCustomer, scanPayment } from '../support/settle-customer';

const customerSeconds = Number(process.env.CUSTOMER_SECONDS ?? 60);

async function main(): Promise<void> {
  const stack = await startStack({ ingressPort: 0, temporalPort: 0, uiPort: null, settleSandboxPort: 0, env: { POS_API_KEYS: 'bench=bench-merchant' } });
  try {
    const pos = new Pos(stack.ingressUrl, 'bench');
    const settle = new SettleCustomer(stack.settleSandboxUrl, stack.env.SETTLE_SHORTLINK_ID ?? '');
    const measure = async (label: string, hesitateMs: number) => {
      const answer = await pos.create({ provider: 'settle', pos_id: 'bench', pos_tid: `bench-${hesitateMs}-${Date.now()}`, amount: 2000, currency: 'EUR' });
      if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      const created = answer.body;
      const tid = await scanPayment(pos, settle, created);
      await sleep(hesitateMs);
      await settle.act(tid, 'approve');
      await pos.waitForState(created.id, 'captured', hesitateMs + 30_000);
      const history = await stack.client.workflow.getHandle(created.id).fetchHistory();
      const polls = (await settle.request(tid)).outcome_reads;
      console.log(`${label.padEnd(28)} ${String(history.events?.length ?? 0).padStart(4)} history events until captured, ${polls} Settle polls`);
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
