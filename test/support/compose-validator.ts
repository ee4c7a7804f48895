/**
 * A Compose implementation that checks docker-compose.yml offline (`config`: interpolation, schema,
 * references) without a container engine: the `docker compose` plugin when the machine has one, else
 * Debian's `docker-compose` package. CI (CI=true, as root) installs that package when neither is
 * there, as `npm test` installs everything else it needs; anywhere else the caller skips and says why.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { machineEnv } from './processes';

const run = promisify(execFile);
const INSTALL_TIMEOUT_MS = 10 * 60_000;

export type ComposeCommand = readonly [string, ...string[]];

export type ComposeValidator = { command: ComposeCommand; version: string } | { skip: string };

async function version(command: ComposeCommand): Promise<string | null> {
  try {
    const { stdout } = await run(command[0], [...command.slice(1), 'version'], { timeout: 30_000 });
    return stdout.trim().split('\n')[0] ?? '';
  } catch {
    return null;
  }
}

async function findCompose(): Promise<{ command: ComposeCommand; version: string } | null> {
  for (const command of [['docker', 'compose'], ['docker-compose']] as const) {
    const found = await version(command);
    if (found !== null) return { command, version: found };
  }
  return null;
}

export async function composeValidator(log: (line: string) => void = console.log): Promise<ComposeValidator> {
  const found = await findCompose();
  if (found) return found;
  if (process.env.CI !== 'true' || process.getuid?.() !== 0) {
    return { skip: 'neither `docker compose` nor `docker-compose` is installed (CI installs Debian\'s docker-compose: apt-get install docker-compose)' };
  }
  log('installing Debian\'s docker-compose to validate docker-compose.yml offline (CI only)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  await run('apt-get', ['update', '-qq'], { env, timeout: INSTALL_TIMEOUT_MS });
  await run('apt-get', ['install', '-y', '-qq', 'docker-compose'], { env, timeout: INSTALL_TIMEOUT_MS });
  const installed = await findCompose();
  if (!installed) throw new Error('apt-get installed docker-compose, but `docker-compose version` still fails');
  return installed;
}

/**
 * Runs `<compose> <args>` in `cwd` and resolves with the exit code and output instead of throwing.
 * Only the machine's variables are passed: Compose would take any other one over the project's .env.
 */
export async function runCompose(command: ComposeCommand, args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(command[0], [...command.slice(1), ...args], { cwd, env: machineEnv(), timeout: 60_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout = '', stderr = '' } = error as { code?: unknown; stdout?: string; stderr?: string };
    return { code: typeof code === 'number' ? code : 1, stdout, stderr };
  }
}
