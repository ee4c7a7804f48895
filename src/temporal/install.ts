/**
 * `npm run temporal:install`: the pinned Temporal binaries, built when missing — the CLI (`npm start`
 * and the tests' dev servers) and temporal-server with temporal-sql-tool (the tests' PostgreSQL-backed
 * cluster, test/cluster).
 */
import { ensureTemporalCli } from './cli';
import { ensureTemporalServer } from './server-binaries';

async function main(): Promise<void> {
  console.log(`temporal CLI: ${await ensureTemporalCli()}`);
  const { server, sqlTool } = await ensureTemporalServer();
  console.log(`temporal-server: ${server}\ntemporal-sql-tool: ${sqlTool}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
