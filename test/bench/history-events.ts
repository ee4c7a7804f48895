/**
 * `npm run report:history`: how many history events a payment costs until it is captured, for
 * PROVIDER (settle | tabby | seqr, default settle), at the providers' production cadences. Settle
 * and Tabby: the customer pays at once, then after CUSTOMER_SECONDS (default 60). SEQR: paid in the
 * first 30 s window, then after two windows lapsed and the cashier retried twice. Paysera: the
 * customer checks in at once, then after CHECK_IN_SECONDS (default 30).
 * A measurement, not a test: the customer's hesitation is real time on purpose.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack } from '../../src/stack';
import { call } from '../support/http';
import { PayseraCustomer } from '../support/paysera-customer';
import { Pos, type Payment } from '../support/pos';
import { SeqrCustomer } from '../support/seqr-customer';
import { SettleCustomer, scanPayment } from '../support/settle-customer';
import { TabbyCustomer } from '../support/tabby-customer';

const customerSeconds = Number(process.env.CUSTOMER_SECONDS ?? 60);
const provider = process.env.PROVIDER ?? 'settle';
const checkInSeconds = Number(process.env.CHECK_IN_SECONDS ?? 30);

interface Scenario {
  label: string;
  /** What the customer (and cashier) do before the customer pays; resolves with the polls seen. */
  pay(payment: Payment): Promise<number>;
}

async function main(): Promise<void> {
  const stack = await startStack({ ingressPort: 0, temporalPort: 0, uiPort: null, env: { POS_API_KEYS: 'bench=bench-merchant' } });
  try {
    const pos = new Pos(stack.ingressUrl, 'bench');
    const settle = new SettleCustomer(stack.sandboxUrl('settle'), stack.env.SETTLE_SHORTLINK_ID ?? '');
    const tabby = new TabbyCustomer(stack.sandboxUrl('tabby'));
    const seqr = new SeqrCustomer(stack.sandboxUrl('seqr'));
    const paysera = new PayseraCustomer(stack.sandboxUrl('paysera'));
    const spotCode = (table: string) => `PAYSERA*${stack.env.PAYSERA_LOCATION_ID}:${table}`;
    let table = 0;
    const orders: Record<string, () => Record<string, unknown>> = {
      settle: () => ({ amount: 2000, currency: 'EUR' }),
      tabby: () => ({ amount: 15000, currency: 'AED' }),
      seqr: () => ({ amount: 14999, currency: 'SEK' }),
      paysera: () => ({ amount: 2350, currency: 'EUR', provider_options: { spot_code: spotCode(`TABLE${(table += 1)}`) } }),
    };
    if (provider === 'seqr') {
      await call('PUT', `${stack.ingressUrl}/v1/terminals/bench/seqr`, { body: { seqr_id: 'BENCH1', name: 'Bench till' }, headers: { authorization: 'Bearer bench' } });
    }
    const settleAfter = (ms: number): Scenario['pay'] => async (payment) => {
      const tid = await scanPayment(pos, settle, payment);
      await sleep(ms);
      await settle.act(tid, 'approve');
      await pos.waitForState(payment.id, 'captured', ms + 30_000);
      return (await settle.request(tid)).outcome_reads;
    };
    const tabbyAfter = (ms: number): Scenario['pay'] => async (payment) => {
      await sleep(ms);
      await tabby.act(payment, 'approve');
      await pos.waitForState(payment.id, 'captured', ms + 30_000);
      return (await tabby.paymentOf(payment)).reads;
    };
    const seqrAfterRetries = (retries: number): Scenario['pay'] => async (payment) => {
      for (let retry = 0; retry < retries; retry += 1) {
        await pos.waitFor(payment.id, (p) => p.action_required === 'retry_or_cancel', 60_000);
        await pos.command(payment.id, 'retry');
      }
      await seqr.scanAndPay(payment);
      await pos.waitForState(payment.id, 'captured');
      return (await seqr.invoice(seqr.invoiceOf(payment))).polls;
    };
    const payseraAfter = (ms: number): Scenario['pay'] => async (payment) => {
      await sleep(ms);
      await paysera.checkIn(payment.qr?.content.split(':').pop() ?? '');
      await paysera.act(payment, 'reserve');
      const captured = await pos.waitForState(payment.id, 'captured', 30_000);
      return (await paysera.transaction(captured.provider_reference.transaction_key ?? '')).reads as number;
    };
    const scenarios: Record<string, Scenario[]> = {
      paysera: [{ label: 'customer checks in at once', pay: payseraAfter(0) }, { label: `checks in after ${checkInSeconds} s`, pay: payseraAfter(checkInSeconds * 1000) }],
      settle: [{ label: 'customer pays at once', pay: settleAfter(0) }, { label: `customer takes ${customerSeconds} s`, pay: settleAfter(customerSeconds * 1000) }],
      tabby: [{ label: 'customer pays at once', pay: tabbyAfter(0) }, { label: `customer takes ${customerSeconds} s`, pay: tabbyAfter(customerSeconds * 1000) }],
      seqr: [{ label: 'paid in the first window', pay: seqrAfterRetries(0) }, { label: 'paid after two retries', pay: seqrAfterRetries(2) }],
    };
    const chosen = scenarios[provider];
    if (!chosen) throw new Error(`PROVIDER must be one of ${Object.keys(scenarios).join(', ')}`);
    for (const [index, scenario] of chosen.entries()) {
      const answer = await pos.create({ provider, ...orders[provider]?.(), pos_id: 'bench', pos_tid: `bench-${index}-${Date.now()}` });
      if (answer.status !== 201) throw new Error(`create failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      const polls = await scenario.pay(answer.body);
      const history = await stack.client.workflow.getHandle(answer.body.id).fetchHistory();
      console.log(`${provider} ${scenario.label.padEnd(26)} ${String(history.events?.length ?? 0).padStart(4)} history events until captured, ${polls} provider polls`);
    }
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
