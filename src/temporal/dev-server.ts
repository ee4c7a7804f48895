/**
 * Starts `temporal server start-dev` with the settings in temporal-config/dev-server.json and waits
 * until its frontend answers. Used by the embedded default and by the tests.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { PROJECT_ROOT } from './cli';

interface DevServerSettings {
  namespace: string;
  searchAttributes: Record<string, string>;
  dynamicConfig: Record<string, unknown>;
}

export interface DevServerOptions {
  cliPath: string;
  port: number;
  /** The HTTP API port; chosen by the caller so it cannot land on a port the caller reserved. */
  httpPort: number;
  uiPort: number | null;
  /** Keep history across restarts in this SQLite file; in memory when null. */
  dbFile: string | null;
  log?: (line: string) => void;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | null;
  namespace: string;
  stop(): Promise<void>;
}

export function devServerSettings(): DevServerSettings {
  return JSON.parse(readFileSync(join(PROJECT_ROOT, 'temporal-config', 'dev-server.json'), 'utf8')) as DevServerSettings;
}

export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const settings = devServerSettings();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--http-port', String(options.httpPort), '--namespace', settings.namespace, '--log-level', 'warn'];
  args.push(...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const [name, type] of Object.entries(settings.searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(settings.dynamicConfig)) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const child = spawn(options.cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const keep = (chunk: Buffer) => { output.push(chunk.toString()); if (output.length > 50) output.shift(); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exited: number | null = null;
  const exit = new Promise<void>((resolve) => child.on('exit', (code) => { exited = code ?? -1; resolve(); }));

  const address = `127.0.0.1:${options.port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`temporal dev server exited with ${String(exited)}:\n${output.join('')}`);
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`temporal dev server did not answer on ${address} within 60 s:\n${output.join('')}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  options.log?.(`Temporal dev server on ${address}`);
  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://127.0.0.1:${options.uiPort}`,
    namespace: settings.namespace,
    async stop() {
      if (exited === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exit;
      clearTimeout(killer);
    },
  };
}
