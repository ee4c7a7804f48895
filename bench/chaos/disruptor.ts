/**
 * Everything the campaign does to the service's processes: SIGKILL of the worker or the ingress
 * (a new one started at once, as a supervisor such as systemd or Kubernetes would), a dev server
 * restart with its data kept, and the targeted kill — a provider call held in flight at the sandbox
 * while its caller dies. Disruptions run one at a time, each from its start until the restarted
 * process is ready, so every one has its own effect; and a process that dies without being killed
 * here is restarted too and reported.
 */
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import type { BenchProcess } from '../topology';
import type { RequestMatch, SandboxControl } from './sandbox-control';
import { describeTarget, type Target, type Victim } from './settings';
import type { ChaosTopology } from './topology';

export interface Disruption {
  /** Seconds since the campaign began. */
  at: number;
  what: 'worker SIGKILL' | 'ingress SIGKILL' | 'Temporal restart';
  why: string;
  /** From the kill (or stop) until the new process was ready. */
  downMs: number;
}

/** How long a targeted kill waits for its held call to reach the sandbox before it counts as missed. */
const HOLD_TAKEN_TIMEOUT_MS = 120_000;
const SUPERVISE_EVERY_MS = 2000;

export class Disruptor {
  readonly done: Disruption[] = [];
  /** Targeted kills whose held call never came (the payment went another way). */
  readonly missed: string[] = [];
  /** Processes that died without being killed here, with their last words. */
  readonly unexpectedExits: string[] = [];
  private turn: Promise<unknown> = Promise.resolve();
  private busy = false;

  constructor(
    private readonly topology: ChaosTopology,
    private readonly began: number,
    private readonly log: (line: string) => void,
  ) {}

  /** Runs `disrupt` once no other disruption runs. */
  exclusive<T>(disrupt: () => Promise<T>): Promise<T> {
    const run = this.turn.then(async () => {
      this.busy = true;
      try {
        return await disrupt();
      } finally {
        this.busy = false;
      }
    });
    this.turn = run.catch(() => undefined);
    return run;
  }

  /** SIGKILL, an optional pause (a supervisor's restart delay), a new process, ready. Call inside `exclusive`. */
  async kill(victim: Victim, why: string, pauseMs = 0): Promise<void> {
    const started = performance.now();
    this.log(`SIGKILL ${victim} (${why})`);
    await this.topology.kill(victim);
    if (pauseMs > 0) await delay(pauseMs);
    await this.topology.start(victim);
    this.record(victim === 'worker' ? 'worker SIGKILL' : 'ingress SIGKILL', why, started);
  }

  /** Stops the dev server and starts it with the same data. Call inside `exclusive`. */
  async restartTemporal(why: string): Promise<void> {
    const started = performance.now();
    this.log(`restarting the Temporal dev server (${why})`);
    await this.topology.restartTemporal();
    this.record('Temporal restart', why, started);
  }

  /**
   * Holds the provider call `match` names at the sandbox, starts `trigger` (what makes the service
   * send it), and kills the victim once the call is in flight. Resolves when the victim is back,
   * with `trigger` still running: the till goes on retrying it as it would. A call that never comes
   * (the payment went another way) releases the hold and is reported as missed.
   */
  async killDuring<T>(target: Target, sandbox: SandboxControl, match: RequestMatch, holdMs: number, what: string, trigger: () => Promise<T>): Promise<{ running: Promise<T> }> {
    return this.exclusive(async () => {
      const faultId = await sandbox.hold(match, holdMs);
      const running = trigger();
      let ended = false;
      running.then(() => (ended = true), () => (ended = true));
      const giveUpAt = Date.now() + HOLD_TAKEN_TIMEOUT_MS;
      let taken = false;
      while (!taken && !ended && Date.now() < giveUpAt) {
        taken = !(await sandbox.waiting(faultId));
        if (!taken) await delay(50);
      }
      if (taken) {
        await this.kill(target.victim, `${target.moment} call held at ${target.provider}: ${what}`);
      } else {
        await sandbox.clearFaults();
        this.missed.push(`${describeTarget(target)} (${what}): the held call never came`);
        this.log(`targeted kill ${describeTarget(target)} missed (${what})`);
      }
      return { running };
    });
  }

  /** Restarts the worker or ingress when it died on its own; stops when the returned function is called. */
  supervise(): () => void {
    const reported = new Set<BenchProcess>();
    const timer = setInterval(() => {
      if (this.busy) return;
      for (const victim of ['worker', 'ingress'] as const) {
        const dead = this.topology.current(victim);
        if (dead.alive || reported.has(dead)) continue;
        reported.add(dead);
        this.unexpectedExits.push(`${dead.name} exited without being killed; its last output:\n${dead.tail(15)}`);
        void this.exclusive(async () => {
          // Another disruption may have replaced it in the meantime.
          if (this.topology.current(victim) !== dead) return;
          await this.topology.start(victim);
          this.log(`${victim} restarted after it exited on its own`);
        }).catch((error: unknown) => this.unexpectedExits.push(`restarting the ${victim} failed: ${String(error)}`));
      }
    }, SUPERVISE_EVERY_MS);
    return () => clearInterval(timer);
  }

  private record(what: Disruption['what'], why: string, started: number): void {
    this.done.push({ at: Math.round((started - this.began) / 1000), what, why, downMs: performance.now() - started });
  }
}
