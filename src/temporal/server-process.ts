/**
 * A Temporal server as a child process — the CLI's dev server or `temporal-server` — with what
 * starting one needs: the tail of its output for the error that explains a failed start, a start
 * that fails as soon as the process dies, and a stop that escalates to SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';

/** Output kept for error messages: the last lines say why a server did not start. */
const OUTPUT_CHUNKS_KEPT = 50;
const STOP_GRACE_MS = 10_000;

export class ServerProcess {
  private readonly child: ChildProcess;
  private readonly output: string[] = [];
  private exitCode: number | null | undefined;
  private readonly exited: Promise<void>;

  constructor(readonly name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: Buffer) => {
      this.output.push(chunk.toString());
      if (this.output.length > OUTPUT_CHUNKS_KEPT) this.output.shift();
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = once(this.child, 'exit').then(([code]) => {
      this.exitCode = (code as number | null) ?? -1;
    });
  }

  get recentOutput(): string {
    return this.output.join('');
  }

  /**
   * Runs `until` (which gets a signal aborted when the wait ends) and resolves with its result, unless
   * the server exits or `timeoutMs` passes first: then the server is killed and the error carries its output.
   */
  async ready<T>(what: string, until: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
    const ended = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const failure = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${this.name}: no ${what} within ${timeoutMs / 1000} s`)), timeoutMs);
      void this.exited.then(() => reject(new Error(`${this.name} exited with ${String(this.exitCode)} before ${what}`)));
    });
    // Once `until` has won, a later exit or timeout is nobody's business.
    failure.catch(() => undefined);
    try {
      return await Promise.race([until(ended.signal), failure]);
    } catch (error) {
      this.child.kill('SIGKILL');
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${this.recentOutput}`, { cause: error });
    } finally {
      clearTimeout(timer);
      ended.abort();
    }
  }

  /** SIGTERM, then SIGKILL if the server has not exited within 10 s. */
  async stop(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), STOP_GRACE_MS);
    await this.exited;
    clearTimeout(killer);
  }
}
