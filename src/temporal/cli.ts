/**
 * The pinned Temporal CLI (dev server + Web UI). The SDK cannot download its dev server on these
 * machines, so the project builds the CLI from Go modules into `.temporal/bin` once and reuses it.
 */
import { execFile, spawn } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const TEMPORAL_CLI_VERSION = '1.5.1';
/** `go install` builds report `0.0.0-DEV`; the server they bundle identifies the release. */
const BUNDLED_SERVER_VERSION = '1.29.1';
const MODULE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
export const PROJECT_ROOT = resolve(__dirname, '..', '..');
const PROJECT_BIN = join(PROJECT_ROOT, '.temporal', 'bin');
const BUILD_PROGRESS_EVERY_MS = 15_000;

async function isPinnedVersion(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    const { stdout } = await promisify(execFile)(path, ['--version'], { timeout: 10_000 });
    const match = /temporal version (\S+) \(Server (\S+),/.exec(stdout);
    return match?.[1] === TEMPORAL_CLI_VERSION || (match?.[1] === '0.0.0-DEV' && match[2] === BUNDLED_SERVER_VERSION);
  } catch {
    return false;
  }
}

/** `TEMPORAL_CLI_PATH`, else a `temporal` of the pinned version in the project or on PATH. */
async function findSuitable(): Promise<string | null> {
  const candidates = [
    process.env.TEMPORAL_CLI_PATH,
    join(PROJECT_BIN, 'temporal'),
    ...(process.env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(dir, 'temporal')),
  ].filter((path): path is string => Boolean(path));
  for (const path of candidates) {
    if (await isPinnedVersion(path)) return path;
  }
  return null;
}

/** Returns a runnable CLI of the pinned version, building it with `go install` when there is none. */
export async function ensureTemporalCli(log: (line: string) => void = console.log): Promise<string> {
  const found = await findSuitable();
  if (found) return found;
  log(`Building Temporal CLI v${TEMPORAL_CLI_VERSION} with go install into ${PROJECT_BIN} (first run only; about 3 minutes with a cold Go cache)...`);
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  // Go prints nothing while it compiles: say what is happening rather than minutes of silence.
  const progress = setInterval(() => log(`  still building the Temporal CLI (go downloads and compiles the server and Web UI modules)... ${elapsed()}`), BUILD_PROGRESS_EVERY_MS);
  await new Promise<void>((resolvePromise, reject) => {
    const child = spawn('go', ['install', MODULE], { env: { ...process.env, GOBIN: PROJECT_BIN }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => reject(new Error(`cannot run go (is Go >= 1.25 installed?): ${error.message}`)));
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`go install ${MODULE} exited with ${code}`))));
  }).finally(() => clearInterval(progress));
  const path = join(PROJECT_BIN, 'temporal');
  if (!(await isPinnedVersion(path))) throw new Error(`built ${path} but it does not report CLI ${TEMPORAL_CLI_VERSION} / server ${BUNDLED_SERVER_VERSION}`);
  log(`Temporal CLI ready in ${elapsed()}: ${path}`);
  return path;
}
