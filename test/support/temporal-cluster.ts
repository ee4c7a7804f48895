/**
 * A real Temporal cluster for tests, without Docker: temporal-server (built from Go modules at the
 * version the CLI bundles) on the machine's PostgreSQL, configured by temporal-config/ exactly as
 * docker-compose configures the official image, its schema and namespace set up by the same scripts
 * compose runs. Each cluster gets databases of its own, dropped when it stops, so parallel and
 * repeated runs never meet.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createConnection, createServer } from 'node:net';
import { relative } from 'node:path';
import { promisify } from 'node:util';
import { ensureTemporalCli, PROJECT_ROOT } from '../../src/temporal/cli';
import { ensureTemporalServer } from '../../src/temporal/server-binaries';
import { ServerProcess } from '../../src/temporal/server-process';
import { namespaceSettings, TEMPORAL_CONFIG_FILES } from '../../src/temporal/temporal-config';
import { machineEnv } from './processes';

/** Cluster membership ports are stored as a PostgreSQL smallint. */
const MEMBERSHIP_PORT_LIMIT = 32768;
const LOWEST_PORT = 10_000;
/** Schema setup, server start and namespace setup each take seconds; a busy 2-core machine may need more. */
const SETUP_TIMEOUT_MS = 180_000;

export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

/** The machine's PostgreSQL as libpq's variables name it; by default 127.0.0.1:5432, user postgres (trust auth). */
export function machinePostgres(env: NodeJS.ProcessEnv = process.env): PostgresServer {
  return { host: env.PGHOST ?? '127.0.0.1', port: Number(env.PGPORT ?? 5432), user: env.PGUSER ?? 'postgres', password: env.PGPASSWORD ?? '' };
}

function accepts(server: PostgresServer): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: server.host, port: server.port, timeout: 1000 });
    const answer = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.once('connect', () => answer(true));
    socket.once('error', () => answer(false));
    socket.once('timeout', () => answer(false));
  });
}

/**
 * Why a PostgreSQL-backed suite cannot run on this machine (no PostgreSQL answers: a laptop), or
 * undefined when it can. With CI=true there is no such excuse: CI must run the suite, so it throws.
 */
export async function clusterSkipReason(server = machinePostgres()): Promise<string | undefined> {
  if (await accepts(server)) return undefined;
  const missing = `no PostgreSQL answers at ${server.host}:${server.port} (PGHOST, PGPORT)`;
  if (process.env.CI === 'true') throw new Error(`${missing}, and with CI=true the suite on a PostgreSQL-backed Temporal cluster must run`);
  const reason = `${missing}: the suite on a PostgreSQL-backed Temporal cluster is skipped`;
  console.error(reason);
  return reason;
}

/** A port nothing listens on, below the membership limit (the usual free-port trick gives ephemeral ports above it). */
async function freeLowPort(taken: Set<number>): Promise<number> {
  for (;;) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (MEMBERSHIP_PORT_LIMIT - LOWEST_PORT));
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) {
      taken.add(port);
      return port;
    }
  }
}

/** temporal-config/server/postgres.yaml's port variables, each set to a free port. */
async function serverPorts(): Promise<Record<string, string>> {
  const taken = new Set<number>();
  const names = ['FRONTEND_GRPC_PORT', 'FRONTEND_HTTP_PORT', ...['FRONTEND', 'HISTORY', 'MATCHING', 'WORKER'].flatMap((service) => [`${service}_MEMBERSHIP_PORT`, `${service}_GRPC_PORT`])];
  const ports: Record<string, string> = {};
  for (const name of names) ports[name] = String(await freeLowPort(taken));
  return ports;
}

async function runScript(script: string, env: Record<string, string>, signal?: AbortSignal): Promise<void> {
  try {
    await promisify(execFile)('sh', [script], { env, signal, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${relative(PROJECT_ROOT, script)} failed: ${error instanceof Error ? error.message : String(error)}\n${stdout}${stderr}`, { cause: error });
  }
}

export interface ClusterOptions {
  postgres?: PostgresServer;
  /** More of the server configuration's variables (temporal-config/server/postgres.yaml), e.g. TEMPORAL_TLS_* for a TLS frontend. */
  serverEnv?: Record<string, string>;
  /** How the `temporal` CLI reaches the frontend besides its address (TEMPORAL_TLS_*, TEMPORAL_API_KEY), for the namespace setup. */
  clientEnv?: Record<string, string>;
  log?: (line: string) => void;
}

export interface RunningCluster {
  /** The frontend's gRPC address. */
  address: string;
  namespace: string;
  /** The server's two databases (default and visibility). */
  databases: string[];
  stop(): Promise<void>;
}

/** Creates fresh databases, starts temporal-server on them and sets up the namespace; `stop()` undoes all of it. */
export async function startTemporalCluster(options: ClusterOptions = {}): Promise<RunningCluster> {
  const log = options.log ?? (() => undefined);
  const postgres = options.postgres ?? machinePostgres();
  const binaries = await ensureTemporalServer(log);
  const cli = await ensureTemporalCli(log);
  const run = `t${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const sqlEnv = {
    SQL_HOST: postgres.host,
    SQL_PORT: String(postgres.port),
    SQL_USER: postgres.user,
    SQL_PASSWORD: postgres.password,
    TEMPORAL_DB: `temporal_${run}`,
    TEMPORAL_VISIBILITY_DB: `temporal_visibility_${run}`,
  };
  const databases = [sqlEnv.TEMPORAL_DB, sqlEnv.TEMPORAL_VISIBILITY_DB];
  const dropDatabases = () => Promise.all(databases.map((database) =>
    promisify(execFile)(binaries.sqlTool, ['--plugin', 'postgres12', '--database', database, 'drop-database', '--force'], { env: { ...machineEnv(), ...sqlEnv } })));

  let server: ServerProcess | null = null;
  try {
    await runScript(TEMPORAL_CONFIG_FILES.setupSchemaScript, { ...machineEnv(), ...sqlEnv, TEMPORAL_SQL_TOOL: binaries.sqlTool });
    const ports = await serverPorts();
    const args = ['--root', PROJECT_ROOT, '--config', relative(PROJECT_ROOT, TEMPORAL_CONFIG_FILES.serverConfigDir), '--env', TEMPORAL_CONFIG_FILES.serverConfigEnv, '--allow-no-auth', 'start'];
    server = new ServerProcess('temporal-server', binaries.server, args, {
      ...machineEnv(),
      ...sqlEnv,
      ...ports,
      DYNAMIC_CONFIG_FILE_PATH: TEMPORAL_CONFIG_FILES.dynamicConfig,
      LOG_LEVEL: 'warn',
      ...options.serverEnv,
    });
    const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
    const clientEnv = { ...machineEnv(), TEMPORAL_ADDRESS: address, TEMPORAL_CLI: cli, ...options.clientEnv };
    await server.ready('namespace set up', (signal) => runScript(TEMPORAL_CONFIG_FILES.setupNamespaceScript, clientEnv, signal), SETUP_TIMEOUT_MS);
    log(`Temporal ${address} on PostgreSQL ${postgres.host}:${postgres.port} (databases ${databases.join(', ')})`);
    const running = server;
    return {
      address,
      namespace: namespaceSettings().namespace,
      databases,
      async stop() {
        await running.stop();
        await dropDatabases();
      },
    };
  } catch (error) {
    await server?.stop();
    await dropDatabases().catch(() => undefined);
    throw error;
  }
}
