/**
 * The untargeted disruptions: worker and ingress kills and the dev server restart, each at a random
 * point of the campaign's progress (share of payments started), so they land among payments in
 * every phase rather than at moments anybody chose. A killed process sometimes stays down a moment
 * before its supervisor starts it again.
 */
import { seededRandom } from './plan';
import type { Disruptor } from './disruptor';
import type { ChaosSettings } from './settings';

interface Planned {
  /** Share of the campaign's payments started when it happens. */
  at: number;
  kind: 'worker' | 'ingress' | 'temporal';
  pauseMs: number;
}

/** Never in the first or last 10 %: the first payments are still being set up, the last ones only settle. */
const EARLIEST = 0.1;
const LATEST = 0.9;
const MAX_PAUSE_MS = 3000;

export class RandomDisruptions {
  private readonly planned: Planned[];
  private readonly running: Promise<void>[] = [];
  private failure: Error | null = null;

  constructor(
    settings: Pick<ChaosSettings, 'seed' | 'randomWorkerKills' | 'randomIngressKills' | 'temporalRestarts'>,
    private readonly disruptor: Disruptor,
  ) {
    // Its own stream of the seed: the payments' plans stay the same whatever is planned here.
    const random = seededRandom(settings.seed ^ 0x5eed);
    const at = () => EARLIEST + random() * (LATEST - EARLIEST);
    const pause = () => (random() < 0.5 ? 0 : Math.floor(random() * MAX_PAUSE_MS));
    this.planned = [
      ...Array.from({ length: settings.randomWorkerKills }, (): Planned => ({ at: at(), kind: 'worker', pauseMs: pause() })),
      ...Array.from({ length: settings.randomIngressKills }, (): Planned => ({ at: at(), kind: 'ingress', pauseMs: pause() })),
      ...Array.from({ length: settings.temporalRestarts }, (): Planned => ({ at: 0.3 + random() * 0.4, kind: 'temporal', pauseMs: 0 })),
    ].sort((a, b) => a.at - b.at);
  }

  /** Starts whatever is due at this progress (0..1); returns at once. */
  progress(share: number): void {
    while (this.planned.length > 0 && this.planned[0]!.at <= share) {
      const due = this.planned.shift()!;
      const why = `random, at ${Math.round(due.at * 100)} % of the payments started${due.pauseMs > 0 ? `, restarted after ${due.pauseMs} ms` : ''}`;
      const disruption = this.disruptor.exclusive(() => (due.kind === 'temporal' ? this.disruptor.restartTemporal(why) : this.disruptor.kill(due.kind, why, due.pauseMs)));
      // Kept, not thrown here: nobody awaits it until the campaign asks whether all went through.
      this.running.push(disruption.catch((error: unknown) => void (this.failure ??= error instanceof Error ? error : new Error(String(error)))));
    }
  }

  /** Waits for every disruption started so far; a failed one (a process that would not start again) throws. */
  async settled(): Promise<void> {
    await Promise.all(this.running);
    if (this.failure !== null) throw this.failure;
  }
}
