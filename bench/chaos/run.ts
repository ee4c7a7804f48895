/**
 * `npm run chaos`: a fault campaign against the service production-shaped (dev server with its data
 * in SQLite, the four sandboxes as providers, worker and ingress as their own processes). Mixed
 * payments of all four providers while worker and ingress are SIGKILLed at random and targeted
 * moments and the dev server is restarted; then every payment is checked against its provider's
 * ledger. Prints the figures on stdout (progress on stderr) and exits 1 on any anomaly, 2 when cut
 * short or stopped by an error, 130 on Ctrl-C. Settings: bench/chaos/settings.ts (CHAOS_*).
 */
import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { closeHttp } from '../http';
import { anomalyCount, runCampaign } from './campaign';
import { renderReport } from './report';
import { loadChaosSettings } from './settings';

const began = performance.now();
const log = (line: string) => console.error(`[chaos ${Math.round((performance.now() - began) / 1000)} s] ${line}`);

async function main(): Promise<number> {
  const settings = loadChaosSettings();
  const stop = new AbortController();
  // Every till, request and long poll listens to the one signal.
  setMaxListeners(0, stop.signal);
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    // A second Ctrl-C leaves at once; the children are killed on exit (bench/topology.ts).
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping`);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const result = await runCampaign(settings, { signal: stop.signal, log });
  console.log(renderReport(result));
  await closeHttp();
  if (interrupted) return 130;
  if (anomalyCount(result) > 0) return 1;
  return result.cutShort ? 2 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
