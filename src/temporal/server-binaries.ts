/**
 * The Temporal server and its SQL schema tool at the version the pinned CLI bundles, built from
 * go.temporal.io/server: a real cluster on PostgreSQL without Docker (the test suite's cluster).
 */
import { ensureGoBinaries, type GoBinaries } from './go-install';

export const TEMPORAL_SERVER_VERSION = '1.29.1';

const SERVER_BINARIES: GoBinaries<'temporal-server' | 'temporal-sql-tool'> = {
  title: `Temporal server v${TEMPORAL_SERVER_VERSION} and temporal-sql-tool`,
  packages: [`go.temporal.io/server/cmd/server@v${TEMPORAL_SERVER_VERSION}`, `go.temporal.io/server/cmd/tools/sql@v${TEMPORAL_SERVER_VERSION}`],
  names: { server: 'temporal-server', sql: 'temporal-sql-tool' },
  coldBuild: 'about 3.5 minutes',
  // `temporal version 1.29.1`, `temporal-sql-tool version 1.29.1`: the version is compiled in, not stamped at release.
  isPinned: (_name, output) => output.trim().endsWith(` version ${TEMPORAL_SERVER_VERSION}`),
};

export interface ServerBinaries {
  server: string;
  sqlTool: string;
}

/** Returns `temporal-server` and `temporal-sql-tool` of the pinned version, building them when there are none. */
export async function ensureTemporalServer(log: (line: string) => void = console.log): Promise<ServerBinaries> {
  const paths = await ensureGoBinaries(SERVER_BINARIES, log);
  return { server: paths['temporal-server'], sqlTool: paths['temporal-sql-tool'] };
}
