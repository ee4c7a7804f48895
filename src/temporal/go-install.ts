/**
 * Pinned Temporal binaries, built from Go modules into `.temporal/bin`. These machines cannot
 * download Temporal's release archives but do reach the Go module proxy, so `go install` builds a
 * module's main packages at the pinned version once (minutes with a cold Go cache); afterwards the
 * binaries in `.temporal/bin` are reused as long as they report the pinned version.
 */
import { execFile, spawn } from 'node:child_process';
import { access, constants, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

export const PROJECT_ROOT = resolve(__dirname, '..', '..');
const PROJECT_BIN = join(PROJECT_ROOT, '.temporal', 'bin');
const BUILD_PROGRESS_EVERY_MS = 15_000;

/** What `<path> --version` prints, or null when there is no runnable binary at `path`. */
export async function versionOutput(path: string): Promise<string | null> {
  try {
    await access(path, constants.X_OK);
    const { stdout } = await promisify(execFile)(path, ['--version'], { timeout: 10_000 });
    return stdout;
  } catch {
    return null;
  }
}

/** Main packages of one Go module at one version, and the names their binaries get. */
export interface GoBinaries<Name extends string> {
  /** For people: what is built, e.g. `Temporal CLI v1.5.1`. */
  title: string;
  /** As `go install` takes them: `module/path/cmd/x@v1.2.3`, all of one module version. */
  packages: readonly string[];
  /** The name `go install` gives each binary (its package's directory) → its name in `.temporal/bin`. */
  names: Readonly<Record<string, Name>>;
  /** Roughly how long a build with a cold Go cache takes, said before it starts. */
  coldBuild: string;
  /** Whether a binary's `--version` output says it is the pinned build. */
  isPinned(name: Name, versionOutput: string): boolean;
}

/** The binaries' paths in `.temporal/bin` when every one of them is the pinned build, else null. */
async function installed<Name extends string>(binaries: GoBinaries<Name>): Promise<Record<Name, string> | null> {
  const paths = {} as Record<Name, string>;
  for (const name of Object.values(binaries.names)) {
    const path = join(PROJECT_BIN, name);
    const output = await versionOutput(path);
    if (output === null || !binaries.isPinned(name, output)) return null;
    paths[name] = path;
  }
  return paths;
}

function goInstall(packages: readonly string[], gobin: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('go', ['install', ...packages], { env: { ...process.env, GOBIN: gobin }, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', (error) => reject(new Error(`cannot run go (is Go >= 1.25 installed?): ${error.message}`)));
    child.on('exit', (code) => (code === 0 ? resolvePromise() : reject(new Error(`go install ${packages.join(' ')} exited with ${code}`))));
  });
}

/** Returns the binaries' paths in `.temporal/bin`, building them with `go install` when any is missing or of another version. */
export async function ensureGoBinaries<Name extends string>(binaries: GoBinaries<Name>, log: (line: string) => void): Promise<Record<Name, string>> {
  const ready = await installed(binaries);
  if (ready) return ready;
  log(`Building ${binaries.title} with go install into ${PROJECT_BIN} (first run only; ${binaries.coldBuild} with a cold Go cache)...`);
  const started = Date.now();
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  // Go prints nothing while it compiles: say what is happening rather than minutes of silence.
  const progress = setInterval(() => log(`  still building ${binaries.title} (go downloads and compiles the modules)... ${elapsed()}`), BUILD_PROGRESS_EVERY_MS);
  // `go install` names a binary after its package's directory (`server`, `sql`): build into a scratch
  // GOBIN beside the project's and move each binary in under its own name.
  await mkdir(PROJECT_BIN, { recursive: true });
  const gobin = await mkdtemp(join(PROJECT_ROOT, '.temporal', 'go-install-'));
  try {
    await goInstall(binaries.packages, gobin);
    for (const [built, name] of Object.entries(binaries.names)) await rename(join(gobin, built), join(PROJECT_BIN, name));
  } finally {
    clearInterval(progress);
    await rm(gobin, { recursive: true, force: true });
  }
  const built = await installed(binaries);
  if (!built) throw new Error(`built ${binaries.title} into ${PROJECT_BIN}, but the binaries do not report the pinned version`);
  log(`${binaries.title} ready in ${elapsed()}: ${Object.values<string>(built).join(', ')}`);
  return built;
}
