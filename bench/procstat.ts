/**
 * CPU and memory of the bench's processes, read from /proc (Linux): CPU as utime+stime deltas over
 * a window (100 % = one core busy), RSS as VmRSS at the window's end, and how busy the rest of the
 * machine was meanwhile — other people's tests on a shared machine are noise the table must show.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const CLOCK_TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime in clock ticks; null once the process is gone. */
function processTicks(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may contain spaces and parentheses: fields are counted after its last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

export function rssMb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}

/** Busy ticks of the whole machine (all cores), from the first line of /proc/stat. */
function machineBusyTicks(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return [user, nice, system, irq, softirq, steal].reduce<number>((sum, value) => sum + (value ?? 0), 0);
}

/** The pid of a direct child of `parentPid` whose command is `command` (e.g. the dev server the SDK helper spawned). */
export function findChild(parentPid: number, command: string): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parentPid && name === command) return Number(entry);
    } catch {
      // The process ended while /proc was being read.
    }
  }
  return null;
}

export interface ProcessUsage {
  /** Percent of one core over the window, per named process. */
  cpu: Record<string, number | null>;
  rssMb: Record<string, number | null>;
  /** Percent of one core used by all the bench's processes together (the bench itself included). */
  oursCpu: number;
  /** Percent of one core used by everything that is not one of the bench's own processes. */
  otherCpu: number;
}

/**
 * A measurement window over named processes. `ours` lists every process the bench started (and the
 * bench itself), so their CPU is not mistaken for other people's load.
 */
export class UsageWindow {
  private readonly startedAt = performance.now();
  private readonly ticks: Map<number, number | null>;
  private readonly machineTicks = machineBusyTicks();

  constructor(
    private readonly named: Record<string, number>,
    private readonly ours: readonly number[],
  ) {
    this.ticks = new Map(ours.map((pid) => [pid, processTicks(pid)]));
  }

  end(): ProcessUsage {
    // A window cut to a fraction of a second (by a stop) would turn one tick into hundreds of percent.
    const seconds = Math.max((performance.now() - this.startedAt) / 1000, 1);
    const percent = (ticks: number) => (ticks / CLOCK_TICKS_PER_SECOND / seconds) * 100;
    const deltas = new Map(this.ours.map((pid) => {
      const before = this.ticks.get(pid);
      const after = processTicks(pid);
      return [pid, before === null || before === undefined || after === null ? null : after - before];
    }));
    const oursTotal = [...deltas.values()].reduce<number>((sum, delta) => sum + (delta ?? 0), 0);
    const cpu: Record<string, number | null> = {};
    const rss: Record<string, number | null> = {};
    for (const [name, pid] of Object.entries(this.named)) {
      const delta = deltas.get(pid) ?? null;
      cpu[name] = delta === null ? null : percent(delta);
      rss[name] = rssMb(pid);
    }
    return { cpu, rssMb: rss, oursCpu: percent(oursTotal), otherCpu: Math.max(0, percent(machineBusyTicks() - this.machineTicks - oursTotal)) };
  }
}
