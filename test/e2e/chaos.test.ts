/**
 * The fault campaign's short version (`npm run chaos` runs the full one): a few dozen mixed payments
 * of the four providers, production-shaped (dev server, sandboxes, worker and ingress as their own
 * processes), while the worker is SIGKILLed during a SEQR refund (SEQR has no refund idempotency),
 * a Paysera order create, a Settle capture and once at random, the ingress once at random, and the
 * dev server is restarted with its data kept.
 * Every payment must end final and agree with its provider's ledger: zero anomalies.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { anomalyCount, runCampaign } from '../../bench/chaos/campaign';
import { closeHttp } from '../../bench/http';
import { renderReport } from '../../bench/chaos/report';
import { loadChaosSettings } from '../../bench/chaos/settings';

/** About a minute and a half on the 2-core development machine; CHAOS_SEED may be set to replay a failure's plan. */
const SHORT = {
  CHAOS_PAYMENTS: '40',
  CHAOS_CONCURRENCY: '8',
  CHAOS_SEED: process.env.CHAOS_SEED ?? '1',
  CHAOS_WORKER_KILLS: '1',
  CHAOS_INGRESS_KILLS: '1',
  CHAOS_TEMPORAL_RESTARTS: '1',
  CHAOS_TARGETS: 'worker:refund:seqr,worker:create:paysera,worker:capture:settle',
  CHAOS_SETTLE_SECONDS: '120',
  CHAOS_DEADLINE_SECONDS: '200',
};

describe('fault campaign (short)', () => {
  after(() => closeHttp());

  it('money moves once and every payment ends, whatever is killed', { timeout: 420_000 }, async () => {
    const result = await runCampaign(loadChaosSettings(SHORT), { signal: new AbortController().signal, log: (line) => console.error(`[chaos] ${line}`) });
    const report = renderReport(result);
    // The figures belong in the CI log whatever the outcome.
    console.error(report);
    assert.equal(result.cutShort, null, report);
    assert.equal(anomalyCount(result), 0, report);
    assert.deepEqual(result.missedTargets, [], report);
    assert.equal(result.disruptions.length, 6, report);
  });
});
