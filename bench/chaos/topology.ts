/**
 * The production shape the campaign attacks, each part its own OS process: a Temporal dev server
 * keeping its data in a SQLite file (so it can be restarted with its data), the four built-in
 * sandboxes as the providers (`npm run sandboxes`), one worker and one ingress. The service gets
 * the contract's variables only, with timings shortened through its own configuration. Worker and
 * ingress can be SIGKILLed and started again on the same address; the dev server restarted on the
 * same ports and file. Everything started here is stopped by `stop()`, at the latest on exit.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureTemporalCli } from '../../src/temporal/cli';
import { readEnvFile } from '../../test/support/processes';
import { BenchProcess, freePort, startOwnedDevServer, type OwnedDevServer } from '../topology';
import { PROVIDERS, type Victim, type ProviderName } from './settings';

export const MERCHANT_ID = 'chaos-merchant';

/**
 * Seconds instead of minutes, through the service's own variables (README, "Configuration"):
 * polls and heartbeats short so a killed worker's waits move to the next one within seconds; a
 * provider call's timeout above the hold of a targeted kill, so the kill, not the timeout, is what
 * interrupts it; cashier windows short so SEQR walk-aways end quickly; the refund window longer
 * than any campaign, so every captured payment stays refundable until the check.
 */
export const SERVICE_TIMINGS = {
  SETTLE_POLL_INTERVAL_MS: '500',
  TABBY_POLL_INTERVAL_MS: '500',
  SEQR_POLL_INTERVAL_MS: '500',
  PAYSERA_POLL_INTERVAL_MS: '500',
  POLL_HEARTBEAT_TIMEOUT_SECONDS: '3',
  PROVIDER_REQUEST_TIMEOUT_MS: '6000',
  TABBY_MIN_TIMEOUT_SECONDS: '5',
  SEQR_WINDOW_SECONDS: '10',
  PAYMENT_REFUND_WINDOW_SECONDS: '7200',
} as const;

/** Bundling the workflows at a worker's start takes a while on a busy 2-core machine. */
const WORKER_START_TIMEOUT_MS = 240_000;

export class ChaosTopology {
  private workerProcess: BenchProcess;
  private ingressProcess: BenchProcess;
  private workerStarts = 0;
  private ingressStarts = 0;

  private constructor(
    private readonly scratch: string,
    private temporal: OwnedDevServer,
    private readonly temporalOptions: { cliPath: string; port: number; httpPort: number; dbFile: string },
    readonly sandboxes: BenchProcess,
    /** The contract's variables the worker and ingress run with (PORT aside). */
    private readonly serviceEnv: Record<string, string>,
    readonly ingressUrl: string,
    readonly apiKey: string,
    readonly sandboxUrls: Record<ProviderName, string>,
    readonly sandboxEnv: Record<string, string>,
  ) {
    this.workerProcess = this.spawnWorker();
    this.ingressProcess = this.spawnIngress();
  }

  /**
   * `payseraSpots`: the tables the merchant printed (PAYSERA_SPOTS); the campaign gives every Paysera
   * payment a table of its own, so no payment's closing of its spot can touch another's.
   */
  static async start(payseraSpots: readonly string[], log: (line: string) => void): Promise<ChaosTopology> {
    const scratch = mkdtempSync(join(tmpdir(), 'pos-chaos-'));
    let temporal: OwnedDevServer | null = null;
    let sandboxes: BenchProcess | null = null;
    let topology: ChaosTopology | null = null;
    try {
      const cliPath = await ensureTemporalCli(log);
      const temporalOptions = { cliPath, port: await freePort(), httpPort: await freePort(), dbFile: join(scratch, 'temporal.sqlite') };
      temporal = await startOwnedDevServer(temporalOptions);
      const ingressUrl = `http://127.0.0.1:${await freePort()}`;
      const envFile = join(scratch, 'providers.env');
      // Port 0 everywhere: never the fixed ports of someone's `npm start` on the same machine.
      const ports = Object.fromEntries(PROVIDERS.map((provider) => [`${provider.toUpperCase()}_SANDBOX_PORT`, '0']));
      sandboxes = new BenchProcess('sandboxes', 'src/main/sandboxes.ts', ports, ['--providers', PROVIDERS.join(','), '--public-base-url', ingressUrl, '--env-out', envFile]);
      await sandboxes.waitFor(/variables are in/);
      const sandboxEnv = readEnvFile(envFile);
      const apiKey = `chaos-${randomBytes(9).toString('base64url')}`;
      const serviceEnv = {
        ...sandboxEnv,
        ...SERVICE_TIMINGS,
        PAYSERA_SPOTS: payseraSpots.length > 0 ? payseraSpots.join(',') : (sandboxEnv.PAYSERA_SPOTS ?? ''),
        TEMPORAL_ADDRESS: temporal.server.address,
        TEMPORAL_NAMESPACE: temporal.server.namespace,
        NODE_ENV: 'production',
        PUBLIC_BASE_URL: ingressUrl,
        POS_API_KEYS: `${apiKey}=${MERCHANT_ID}`,
      };
      const sandboxUrls = {
        settle: new URL(sandboxEnv.SETTLE_BASE_URL!).origin,
        tabby: new URL(sandboxEnv.TABBY_BASE_URL!).origin,
        seqr: new URL(sandboxEnv.SEQR_BASE_URL!).origin,
        paysera: new URL(sandboxEnv.PAYSERA_BASE_URL!).origin,
      };
      topology = new ChaosTopology(scratch, temporal, temporalOptions, sandboxes, serviceEnv, ingressUrl, apiKey, sandboxUrls, sandboxEnv);
      await Promise.all([topology.workerReady(), topology.ingressReady()]);
      return topology;
    } catch (error) {
      if (topology) {
        await topology.stop();
      } else {
        await sandboxes?.stop();
        await temporal?.stop();
        rmSync(scratch, { recursive: true, force: true });
      }
      throw error;
    }
  }

  /** The process running now as the worker or the ingress. */
  current(role: Victim): BenchProcess {
    return role === 'worker' ? this.workerProcess : this.ingressProcess;
  }

  /** SIGKILL: nothing is drained, as in a crash. */
  async kill(role: Victim): Promise<void> {
    await this.current(role).kill();
  }

  /**
   * Starts a new process in the role and resolves once it is ready: the worker polls, the ingress
   * listens on the same port (tills and webhooks know only that address).
   */
  async start(role: Victim): Promise<void> {
    if (role === 'worker') {
      this.workerProcess = this.spawnWorker();
      await this.workerReady();
    } else {
      this.ingressProcess = this.spawnIngress();
      await this.ingressReady();
    }
  }

  /** Stops the dev server and starts it again on the same ports with the same SQLite file. */
  async restartTemporal(): Promise<void> {
    await this.temporal.stop();
    this.temporal = await startOwnedDevServer(this.temporalOptions);
  }

  describe(): string[] {
    return [
      `Temporal dev server ${this.temporal.server.address} (SQLite ${this.temporalOptions.dbFile}); sandboxes ${Object.entries(this.sandboxUrls).map(([name, url]) => `${name} ${url}`).join(', ')}`,
      `ingress ${this.ingressUrl} (PUBLIC_BASE_URL); ${this.workerStarts} worker and ${this.ingressStarts} ingress processes started in all`,
      `service timings: ${Object.entries(SERVICE_TIMINGS).map(([name, value]) => `${name}=${value}`).join(' ')}`,
    ];
  }

  async stop(): Promise<void> {
    await Promise.all([this.workerProcess.stop(), this.ingressProcess.stop(), this.sandboxes.stop()]);
    await this.temporal.stop();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private spawnWorker(): BenchProcess {
    this.workerStarts += 1;
    return new BenchProcess(`worker #${this.workerStarts}`, 'src/main/worker.ts', this.serviceEnv);
  }

  private spawnIngress(): BenchProcess {
    this.ingressStarts += 1;
    return new BenchProcess(`ingress #${this.ingressStarts}`, 'src/main/ingress.ts', { ...this.serviceEnv, PORT: new URL(this.ingressUrl).port });
  }

  private workerReady(): Promise<void> {
    return this.workerProcess.waitFor(/worker polling/, WORKER_START_TIMEOUT_MS);
  }

  private ingressReady(): Promise<void> {
    return this.ingressProcess.waitFor(/ingress listening/);
  }
}
