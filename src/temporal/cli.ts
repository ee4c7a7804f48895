/**
 * The pinned Temporal CLI (dev server + Web UI). The SDK cannot download its dev server on these
 * machines: a `temporal` of the pinned version already on the machine is used, else the project
 * builds one from Go modules into `.temporal/bin` once and reuses it.
 */
import { delimiter, join } from 'node:path';
import { ensureGoBinaries, versionOutput, type GoBinaries } from './go-install';
import { TEMPORAL_SERVER_VERSION } from './server-binaries';

export { PROJECT_ROOT } from './go-install';
export const TEMPORAL_CLI_VERSION = '1.5.1';

/** `go install` builds report `0.0.0-DEV`; the server they bundle identifies the release. */
function isPinnedCli(versionOutput: string): boolean {
  const match = /temporal version (\S+) \(Server (\S+),/.exec(versionOutput);
  return match?.[1] === TEMPORAL_CLI_VERSION || (match?.[1] === '0.0.0-DEV' && match[2] === TEMPORAL_SERVER_VERSION);
}

const CLI: GoBinaries<'temporal'> = {
  title: `Temporal CLI v${TEMPORAL_CLI_VERSION}`,
  packages: [`github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`],
  names: { temporal: 'temporal' },
  coldBuild: 'about 3 minutes',
  isPinned: (_name, output) => isPinnedCli(output),
};

/** `TEMPORAL_CLI_PATH`, else a `temporal` of the pinned version on PATH. */
async function findOnMachine(): Promise<string | null> {
  const candidates = [
    process.env.TEMPORAL_CLI_PATH,
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'temporal')),
  ].filter((path): path is string => Boolean(path));
  for (const path of candidates) {
    const output = await versionOutput(path);
    if (output !== null && isPinnedCli(output)) return path;
  }
  return null;
}

/** Returns a runnable CLI of the pinned version, building it with `go install` when there is none. */
export async function ensureTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  return (await findOnMachine()) ?? (await ensureGoBinaries(CLI, log)).temporal;
}
