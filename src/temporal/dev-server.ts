/**
 * Starts `temporal server start-dev` with what temporal-config/ gives every Temporal (the namespace,
 * its search attributes, the dynamic config) and waits until its frontend answers. Used by the
 * embedded default and by the tests.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { Connection } from '@temporalio/client';
import { ServerProcess } from './server-process';
import { dynamicConfigValues, namespaceSettings } from './temporal-config';

const START_TIMEOUT_MS = 60_000;

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

/** Resolves once the frontend at `address` serves calls; gives up when `signal` aborts. */
async function frontendAnswers(address: string, signal: AbortSignal): Promise<void> {
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      await connection.workflowService.getSystemInfo({});
      await connection.close();
      return;
    } catch (error) {
      if (signal.aborted) throw error;
      await delay(250);
    }
  }
}

export async function startDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const { namespace, searchAttributes } = namespaceSettings();
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(options.port), '--http-port', String(options.httpPort), '--namespace', namespace, '--log-level', 'warn'];
  args.push(...(options.uiPort === null ? ['--headless'] : ['--ui-port', String(options.uiPort)]));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(dynamicConfigValues())) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);

  const server = new ServerProcess('temporal dev server', options.cliPath, args);
  const address = `127.0.0.1:${options.port}`;
  await server.ready(`answer on ${address}`, (signal) => frontendAnswers(address, signal), START_TIMEOUT_MS);
  options.log?.(`Temporal dev server on ${address}`);
  return {
    address,
    uiUrl: options.uiPort === null ? null : `http://127.0.0.1:${options.uiPort}`,
    namespace,
    stop: () => server.stop(),
  };
}
