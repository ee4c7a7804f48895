/**
 * The project's entry points (`npm start`, `npm run worker`, `npm run ingress`, `npm run sandboxes`)
 * as OS processes, as an operator runs them: tests read their output and stop them with signals.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../../src/temporal/cli';

/** What every process needs from the machine; the service's configuration comes on top, explicitly. */
const MACHINE_ENV = ['PATH', 'HOME', 'TMPDIR', 'LANG'];

/** The machine's part of a child process's environment (see MACHINE_ENV), without anything of this process's own configuration. */
export function machineEnv(): Record<string, string> {
  return Object.fromEntries(MACHINE_ENV.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name] as string]));
}

export class ServiceProcess {
  private readonly child: ChildProcess;
  private output = '';
  private readonly exited: Promise<number | null>;

  constructor(script: string, env: Record<string, string>, args: string[] = []) {
    this.child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: PROJECT_ROOT, env: { ...machineEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => { this.output += chunk.toString(); };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = once(this.child, 'exit').then(([code]) => code as number | null);
  }

  /** The OS process id; a Temporal worker's default identity is `<pid>@<host>`. */
  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Everything the process printed so far (stdout and stderr). */
  get printed(): string {
    return this.output;
  }

  /** Resolves once the output matches `pattern`; fails if the process exits first or `timeoutMs` passes. */
  async waitFor(pattern: RegExp, timeoutMs = 120_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    let exitCode: number | null | undefined;
    void this.exited.then((code) => { exitCode = code; });
    for (;;) {
      const match = pattern.exec(this.output);
      if (match) return match;
      if (exitCode !== undefined) throw new Error(`process exited (${String(exitCode)}) before printing ${String(pattern)}:\n${this.output}`);
      if (Date.now() > deadline) throw new Error(`no ${String(pattern)} within ${timeoutMs} ms:\n${this.output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Sends `signal` and resolves with the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

/** Reads an env file written by `npm run sandboxes --env-out` (`NAME='value'` lines). */
export function readEnvFile(path: string): Record<string, string> {
  const entries = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => {
    const match = /^([A-Z0-9_]+)='(.*)'$/.exec(line);
    if (!match) throw new Error(`not an env line: ${line}`);
    return [match[1], match[2]] as [string, string];
  });
  return Object.fromEntries(entries);
}
