/**
 * The campaign's figures as plain text: payments per provider and final state, money on both sides,
 * every disruption, what the tills had to repeat, refunds an operator must look at, and every
 * anomaly with its payment and details. The last line says how many anomalies there were.
 */
import { formatMinorUnits } from '../../workflows/money';
import { PAYMENT_STATES } from '../../workflows/payment';
import { CURRENCY } from './plan';
import { anomalyCount, type CampaignResult, type Judged } from './campaign';
import { UNKNOWN_REFUND_OUTCOME, type VerdictKind } from './invariants';
import { describeTarget, settingsLine, PROVIDERS, type ProviderName } from './settings';
import { reasonOf, Tally } from '../stats';
import { renderTable, type Column } from '../table';

const NOT_CREATED = '(no payment)';

function statesTable(judged: readonly Judged[]): string {
  const columns: Column[] = [{ title: 'final state', align: 'left' }, ...PROVIDERS.map((provider): Column => ({ title: provider, align: 'right' })), { title: 'total', align: 'right' }];
  const count = (state: string, provider?: ProviderName) =>
    judged.filter((entry) => (entry.payment?.state ?? NOT_CREATED) === state && (provider === undefined || entry.flow.plan.provider === provider)).length;
  const rows = [...PAYMENT_STATES, NOT_CREATED]
    .filter((state) => count(state) > 0)
    .map((state) => [state, ...PROVIDERS.map((provider) => String(count(state, provider))), String(count(state))]);
  rows.push(['all', ...PROVIDERS.map((provider) => String(judged.filter((entry) => entry.flow.plan.provider === provider).length)), String(judged.length)]);
  return renderTable(columns, rows);
}

/** What an operator must check: refunds the service reports failed with refund_outcome_unknown (the provider may have paid them). */
const unknownRefunds = (entry: Judged) =>
  (entry.payment?.refunds ?? []).filter((refund) => refund.failure?.code === UNKNOWN_REFUND_OUTCOME).reduce((sum, refund) => sum + refund.amount, 0);

/** Service / provider totals per provider: equal columns are what the invariants demand payment by payment. */
function moneyTable(judged: readonly Judged[]): string {
  const columns: Column[] = [{ title: 'money (service / provider)', align: 'left' }, ...PROVIDERS.map((provider): Column => ({ title: `${provider} ${CURRENCY[provider]}`, align: 'right' }))];
  const total = (provider: ProviderName, amount: (entry: Judged) => number) =>
    formatMinorUnits(judged.filter((entry) => entry.flow.plan.provider === provider).reduce((sum, entry) => sum + amount(entry), 0), CURRENCY[provider]);
  const both = (service: (entry: Judged) => number, provider: (entry: Judged) => number) => PROVIDERS.map((name) => `${total(name, service)} / ${total(name, provider)}`);
  return renderTable(columns, [
    ['captured', ...both((entry) => entry.payment?.captured_amount ?? 0, (entry) => entry.ledger?.captured ?? 0)],
    ['refunded', ...both((entry) => entry.payment?.refunded_amount ?? 0, (entry) => (entry.ledger?.refunds ?? []).reduce((sum, refund) => sum + refund.amount, 0))],
    ['refunds of unknown outcome (service)', ...PROVIDERS.map((name) => total(name, (entry) => unknownRefunds(entry)))],
    ['still held at the provider', ...PROVIDERS.map((name) => total(name, (entry) => entry.ledger?.held ?? 0))],
  ]);
}

function disruptions(result: CampaignResult): string[] {
  const counts = new Tally();
  for (const disruption of result.disruptions) counts.count(`${disruption.what}${disruption.why.startsWith('random') ? ' (random)' : disruption.what === 'Temporal restart' ? '' : ' (targeted)'}`);
  return [
    `disruptions: ${counts.describe() || 'none'}`,
    ...result.disruptions.map((disruption) => `  at ${String(disruption.at).padStart(4)} s  ${disruption.what.padEnd(16)} back after ${(disruption.downMs / 1000).toFixed(1).padStart(5)} s   ${disruption.why}`),
    `targeted kills planned: ${result.settings.targets.map(describeTarget).join(', ') || 'none'}`,
    ...(result.missedTargets.length > 0 ? ['targeted kills MISSED (the campaign did not test them):', ...result.missedTargets.map((missed) => `  ${missed}`)] : []),
    ...(result.unexpectedExits.length > 0 ? ['UNEXPECTED PROCESS EXITS (counted as anomalies):', ...result.unexpectedExits.map((exit) => `  ${exit.replace(/\n/g, '\n    ')}`)] : ['unexpected process exits: none']),
  ];
}

/** Why payments ended without money: the payment's failure code, or its last timeline detail. */
function endings(judged: readonly Judged[]): string {
  const reasons = new Tally();
  for (const { payment } of judged) {
    if (payment === null || !['failed', 'expired', 'rejected'].includes(payment.state)) continue;
    reasons.count(`${payment.provider} ${payment.state}: ${payment.failure?.code ?? reasonOf(payment.timeline.at(-1)?.detail ?? '?')}`);
  }
  return reasons.describe() || 'none';
}

function verdictLines(judged: readonly Judged[], kind: VerdictKind): string[] {
  return judged.flatMap((entry) =>
    entry.verdicts.filter((verdict) => verdict.kind === kind).map((verdict) => {
      const plan = entry.flow.plan;
      const target = plan.target ? `, targeted ${describeTarget(plan.target)}` : '';
      const state = entry.payment ? ` [${entry.payment.state}]` : '';
      return `  ${entry.flow.id} (${plan.provider} ${plan.captureMode}, customer ${plan.customer}${target})${state}: ${verdict.text}`;
    }),
  );
}

function tillNotes(judged: readonly Judged[]): string {
  const notes = new Tally();
  for (const entry of judged) for (const note of entry.flow.notes) notes.count(reasonOf(note));
  return notes.describe(10) || 'none';
}

export function renderReport(result: CampaignResult): string {
  const anomalies = anomalyCount(result);
  const operator = verdictLines(result.judged, 'operator');
  const waiting = verdictLines(result.judged, 'waiting');
  const notes = verdictLines(result.judged, 'note');
  return [
    `Chaos campaign: ${result.judged.length} payments over ${PROVIDERS.join(', ')} in ${result.wallSeconds} s`,
    ...(result.cutShort ? [`! CUT SHORT: ${result.cutShort}`] : []),
    '',
    statesTable(result.judged),
    `why failed, expired or rejected: ${endings(result.judged)}`,
    '',
    moneyTable(result.judged),
    '',
    ...disruptions(result),
    '',
    `tills: ${result.tillRepeats.total} requests repeated after a 5xx or no answer (${result.tillRepeats.describe(8) || 'none'}); ${result.longPolls}; ${result.seqrTills} SEQR tills registered`,
    `what did not go as planned at the tills (not judged): ${tillNotes(result.judged)}`,
    '',
    `operator must look (refunds failed with refund_outcome_unknown): ${operator.length}`,
    ...operator,
    `waiting for a documented reason: ${waiting.length}`,
    ...waiting,
    `notes: ${notes.length}`,
    ...notes,
    '',
    `ANOMALIES: ${anomalies}`,
    ...verdictLines(result.judged, 'anomaly'),
    '',
    'Conditions:',
    `  ${settingsLine(result.settings)}`,
    ...result.conditions.map((line) => `  ${line}`),
    '',
    `RESULT: ${anomalies === 0 && !result.cutShort ? 'no anomaly' : `${anomalies} anomal${anomalies === 1 ? 'y' : 'ies'}${result.cutShort ? ', cut short' : ''}`}`,
  ].join('\n');
}
