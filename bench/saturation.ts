/**
 * What a ramp level's evidence says: whether the level broke (creates failed, the provider poll
 * cadence collapsed) and which resource ran out — a limit the service itself reported (503 with its
 * code), the worker's slots (a task queue's backlog ages while nothing takes it), or a process's CPU.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { ProcessUsage } from './procstat';
import { formatMs, formatPercent } from './stats';

export interface QueueStats {
  backlog: number;
  backlogAgeSeconds: number;
}

/** The server's view of one task queue (approximate: matching reports what it has, not a census). */
export async function describeQueue(client: Client, taskQueue: string, type: 'workflow' | 'activity'): Promise<QueueStats | string> {
  try {
    const { stats } = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_NORMAL },
      taskQueueType: type === 'workflow' ? temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_WORKFLOW : temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
      reportStats: true,
    });
    if (!stats) return 'no statistics';
    const age = stats.approximateBacklogAge;
    return {
      backlog: Number(stats.approximateBacklogCount?.toString() ?? 0),
      backlogAgeSeconds: Number(age?.seconds?.toString() ?? 0) + (age?.nanos ?? 0) / 1e9,
    };
  } catch (error) {
    // A server too busy to describe its queue is itself evidence; the other columns still tell.
    return `not described: ${error instanceof Error ? error.message : String(error)}`;
  }
}

export interface QueueReading {
  taskQueue: string;
  type: 'workflow' | 'activity';
  stats: QueueStats | string;
}

/** Every (queue, type) the ramp watches, read at once at the end of a hold. */
export function describeQueues(client: Client, taskQueues: readonly string[]): Promise<QueueReading[]> {
  const pairs = taskQueues.flatMap((taskQueue) => (['workflow', 'activity'] as const).map((type) => ({ taskQueue, type })));
  return Promise.all(pairs.map(async ({ taskQueue, type }) => ({ taskQueue, type, stats: await describeQueue(client, taskQueue, type) })));
}

/** How often backlogs are sampled while a level is built and held. */
const SAMPLE_EVERY_MS = 2000;

/**
 * The largest backlog each queue showed while it was watched. A limit that trips on a moment's
 * backlog (a burst of new waits) is gone by the end of a window: only sampling throughout sees it.
 */
export class BacklogPeaks {
  private readonly peaks = new Map<string, QueueReading>();
  private readonly timer: NodeJS.Timeout;
  private sampling = false;

  constructor(private readonly client: Client, private readonly taskQueues: readonly string[]) {
    this.timer = setInterval(() => void this.sample(), SAMPLE_EVERY_MS);
  }

  stop(): QueueReading[] {
    clearInterval(this.timer);
    return [...this.peaks.values()];
  }

  private async sample(): Promise<void> {
    if (this.sampling) return; // the server is slower than the sampling: skip rather than pile up
    this.sampling = true;
    try {
      for (const reading of await describeQueues(this.client, this.taskQueues)) {
        const key = `${reading.taskQueue}/${reading.type}`;
        const known = this.peaks.get(key)?.stats;
        if (typeof reading.stats === 'string') continue;
        if (known === undefined || typeof known === 'string' || reading.stats.backlog > known.backlog) this.peaks.set(key, reading);
      }
    } finally {
      this.sampling = false;
    }
  }
}

/** Compact, for the table's notes: only queues with a backlog (or no answer). */
export function describeBacklogs(label: string, readings: readonly QueueReading[]): string {
  const shown = readings.filter(({ stats }) => typeof stats === 'string' || stats.backlog > 0).map(({ taskQueue, type, stats }) =>
    typeof stats === 'string' ? `${taskQueue}/${type} ${stats}` : `${taskQueue}/${type} ${stats.backlog} (oldest ${Math.round(stats.backlogAgeSeconds)} s)`,
  );
  return `${label}: ${shown.length > 0 ? shown.join(', ') : 'none'}`;
}

export interface LevelEvidence {
  waiting: number;
  /** Waiting payments whose outcome Settle saw read at least once during the hold. */
  polled: number;
  /** Payments of the level (built or created during the hold) that failed, and why: `timeout`, `503 capacity_exhausted`, `scan: ...` */
  failed: ReadonlyMap<string, number>;
  cadenceMedian: number | null;
  queues: readonly QueueReading[];
  usage: ProcessUsage;
  cores: number;
}

export interface Verdict {
  broken: boolean;
  /** Why the level counts as broken; empty when it held. */
  symptoms: string[];
  /** What ran out, most telling first (or the busiest process when nothing did). */
  saturated: string[];
}

/** A Node process's JavaScript runs on one thread: near one core it is the bottleneck. */
const NODE_BUSY_PERCENT = 85;
/** A task-queue backlog whose oldest task is this old is not being worked off. */
const STUCK_SECONDS = 5;
/** The cadence below which a level counts as broken: the polls no longer keep up with the provider. */
const CADENCE_COLLAPSED = 0.5;

/** Whether the whole machine, every process on it, was busy enough for CPU to be what limits. */
export function machineSaturated(usage: ProcessUsage, cores: number): boolean {
  return usage.oursCpu + usage.otherCpu >= NODE_BUSY_PERCENT * cores;
}

/** `machine CPU: 199 % of 200 % in use (worker 63, temporal 63, …, others 4)`, busiest first. */
export function describeMachineCpu(usage: ProcessUsage, cores: number): string {
  const users = Object.entries(usage.cpu)
    .filter((entry): entry is [string, number] => entry[1] !== null)
    .sort((a, b) => b[1] - a[1])
    .map(([name, percent]) => `${name} ${Math.round(percent)}`);
  return `machine CPU: ${Math.round(usage.oursCpu + usage.otherCpu)} % of ${cores * 100} % in use (${[...users, `others ${Math.round(usage.otherCpu)}`].join(', ')})`;
}

export function diagnose(evidence: LevelEvidence): Verdict {
  const symptoms: string[] = [];
  const failed = [...evidence.failed.values()].reduce((sum, n) => sum + n, 0);
  if (failed > 0) symptoms.push(`${failed} payments failed: ${[...evidence.failed].map(([why, n]) => `${n}× ${why}`).join(', ')}`);
  if (evidence.cadenceMedian !== null && evidence.cadenceMedian < CADENCE_COLLAPSED) symptoms.push(`poll cadence collapsed (median ${formatPercent(evidence.cadenceMedian)} of configured)`);
  if (evidence.polled < evidence.waiting) symptoms.push(`${evidence.waiting - evidence.polled} of ${evidence.waiting} waiting payments never polled`);

  const findings: string[] = [];
  // The service's own verdict comes first: it refused rather than hung, and says which limit it hit.
  for (const [why, n] of evidence.failed) {
    if (why.startsWith('503 ')) findings.push(`the service refused ${n} creates with ${why} at ${evidence.waiting} waiting`);
  }
  // A backlog whose oldest task has waited for seconds is the current fact: nothing takes those tasks.
  for (const { taskQueue, type, stats } of evidence.queues) {
    if (typeof stats === 'string' || stats.backlog === 0 || stats.backlogAgeSeconds < STUCK_SECONDS) continue;
    findings.push(
      type === 'activity'
        ? `worker activity slots of ${taskQueue}: ${stats.backlog} activity tasks wait up to ${Math.round(stats.backlogAgeSeconds)} s for a slot while ${evidence.polled} waits poll`
        : `worker workflow tasks of ${taskQueue}: ${stats.backlog} wait up to ${Math.round(stats.backlogAgeSeconds)} s`,
    );
  }
  const cpu = evidence.usage.cpu;
  for (const name of ['worker', 'ingressA'] as const) {
    const percent = cpu[name];
    if (percent !== null && percent !== undefined && percent >= NODE_BUSY_PERCENT) findings.push(`${name} CPU ${Math.round(percent)} % (its JavaScript runs on one core)`);
  }
  const temporalCpu = cpu.temporal;
  if (temporalCpu !== null && temporalCpu !== undefined && temporalCpu >= NODE_BUSY_PERCENT * evidence.cores) findings.push(`dev server CPU ${Math.round(temporalCpu)} % of ${evidence.cores} cores`);
  if (machineSaturated(evidence.usage, evidence.cores)) findings.push(describeMachineCpu(evidence.usage, evidence.cores));

  const busiest = Object.entries(cpu).filter(([name]) => name !== 'bench').sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0))[0];
  const fallback = busiest ? `nothing saturated; busiest ${busiest[0]} ${Math.round(busiest[1] ?? 0)} %` : 'nothing saturated';
  return { broken: symptoms.length > 0, symptoms, saturated: findings.length > 0 ? findings : [symptoms.length > 0 ? 'cause not identified: see the CPU columns' : fallback] };
}

/**
 * A level's verdict from both of its windows. Payments that failed while the level was built are
 * judged by the build's own CPU and backlogs: by the hold, whatever ran out then may have passed.
 */
export function levelVerdict(building: Verdict, holding: Verdict): Verdict {
  const whileBuilding = (lines: string[]) => lines.map((line) => `while building: ${line}`);
  return {
    broken: building.broken || holding.broken,
    symptoms: [...whileBuilding(building.symptoms), ...holding.symptoms],
    // A calm build adds nothing; a calm hold's "busiest process" line is no cause of a broken build.
    saturated: building.broken ? [...whileBuilding(building.saturated), ...(holding.broken ? holding.saturated : [])] : holding.saturated,
  };
}

/** The capacity issue's targets for a held level (one worker, one ingress). */
export const LEVEL_TARGETS = {
  /** Every waiting payment polled at this share of the configured cadence or better. */
  cadence: 0.8,
  newCreateP99Ms: 2000,
  freshGetP99Ms: 250,
  workerRssMb: 1024,
} as const;

export interface LevelReadings {
  cadenceMin: number | null;
  newCreateP99Ms: number | null;
  freshGetP99Ms: number | null;
  workerRssMb: number | null;
}

/**
 * Which targets a level missed, in words. A level can miss them without breaking (nothing failed,
 * the polls slowed but go on): the table must say so rather than call it held.
 */
export function targetsMissed(readings: LevelReadings): string[] {
  const missed: string[] = [];
  const { cadenceMin, newCreateP99Ms, freshGetP99Ms, workerRssMb } = readings;
  if (cadenceMin !== null && cadenceMin < LEVEL_TARGETS.cadence) missed.push(`cadence min ${formatPercent(cadenceMin)} < ${formatPercent(LEVEL_TARGETS.cadence)}`);
  if (newCreateP99Ms !== null && newCreateP99Ms > LEVEL_TARGETS.newCreateP99Ms) missed.push(`new creates p99 ${formatMs(newCreateP99Ms)} > ${formatMs(LEVEL_TARGETS.newCreateP99Ms)}`);
  if (freshGetP99Ms !== null && freshGetP99Ms > LEVEL_TARGETS.freshGetP99Ms) missed.push(`fresh GET p99 ${formatMs(freshGetP99Ms)} > ${formatMs(LEVEL_TARGETS.freshGetP99Ms)}`);
  if (workerRssMb !== null && workerRssMb > LEVEL_TARGETS.workerRssMb) missed.push(`worker RSS ${Math.round(workerRssMb)} MB > ${LEVEL_TARGETS.workerRssMb} MB`);
  return missed;
}
