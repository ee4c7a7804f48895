/**
 * docker-compose.yml and the Dockerfile, checked without a container engine (the development machine
 * and CI have none): Compose's own `config` validates the file with the committed .env.example, and
 * the file is read for what the issue asks of it — the Temporal release the project builds, started
 * and set up with temporal-config/, the service image built with production dependencies only.
 * Running the stack (`docker compose up`) is not tested here; the README's "Production" says so.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { defaultPlugins } from '../../src/providers';
import { PROJECT_ROOT } from '../../src/temporal/cli';
import { TEMPORAL_SERVER_VERSION } from '../../src/temporal/server-binaries';
import { TEMPORAL_CONFIG_FILES } from '../../src/temporal/temporal-config';
import { composeValidator, runCompose, type ComposeValidator } from '../support/compose-validator';

interface ComposeService {
  image?: string;
  build?: string;
  entrypoint?: string[];
  command?: string[];
  environment?: Record<string, string>;
  env_file?: string | string[];
  volumes?: ({ source: string; target: string; read_only?: boolean } | string)[];
  healthcheck?: { disable?: boolean; test?: string[] };
  depends_on?: Record<string, { condition: string }>;
}

const read = (name: string) => readFileSync(join(PROJECT_ROOT, name), 'utf8');
const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, ComposeService> };
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  assert.ok(found, `docker-compose.yml has a ${name} service`);
  return found;
};

/** Where a service sees the project's temporal-config/ folder. */
function temporalConfigMount(name: string): string {
  const mount = service(name).volumes?.find((volume) => typeof volume === 'object' && volume.source === './temporal-config');
  assert.ok(typeof mount === 'object', `${name} mounts ./temporal-config`);
  assert.equal(mount.read_only, true);
  return mount.target;
}

/** A container path under temporal-config's mount, as the project path it is. */
function inTemporalConfig(name: string, containerPath: string): string {
  const mount = temporalConfigMount(name);
  assert.ok(containerPath.startsWith(`${mount}/`), `${containerPath} is under ${mount}`);
  return join(PROJECT_ROOT, 'temporal-config', containerPath.slice(mount.length + 1));
}

describe('docker-compose.yml, offline', () => {
  let validator: ComposeValidator;
  const scratch = mkdtempSync(join(tmpdir(), 'compose-'));
  before(async () => {
    validator = await composeValidator();
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  /** Validates docker-compose.yml in a folder of its own whose .env is `envFile`, as `docker compose up` would read them. */
  async function validate(envFile: string): Promise<{ code: number; stdout: string; stderr: string } | null> {
    if ('skip' in validator) return null;
    const dir = mkdtempSync(join(scratch, 'project-'));
    copyFileSync(join(PROJECT_ROOT, 'docker-compose.yml'), join(dir, 'docker-compose.yml'));
    writeFileSync(join(dir, '.env'), envFile);
    writeFileSync(join(dir, '.env.worker'), read('.env.worker.example'));
    return runCompose(validator.command, ['config', '--quiet'], dir);
  }

  it('is valid Compose with the committed .env.example', async (t) => {
    const result = await validate(read('.env.example'));
    if (!result) {
      t.skip('skip' in validator ? validator.skip : '');
      return;
    }
    assert.equal(result.code, 0, result.stderr);
  });

  it('refuses to start without a PostgreSQL password, naming it', async (t) => {
    const result = await validate(read('.env.example').replace(/^POSTGRES_PASSWORD=.*$/m, ''));
    if (!result) {
      t.skip('skip' in validator ? validator.skip : '');
      return;
    }
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /POSTGRES_PASSWORD/);
  });

  it('runs the Temporal release the project builds, started and set up with temporal-config/', () => {
    assert.equal(service('temporal').image, `temporalio/server:${TEMPORAL_SERVER_VERSION}`);
    for (const job of ['temporal-schema', 'temporal-namespace']) assert.match(service(job).image ?? '', new RegExp(`^temporalio/admin-tools:${TEMPORAL_SERVER_VERSION.replace(/\./g, '\\.')}-`));

    // temporal-server --root R --config C --env E reads R/C/E.yaml: the project's server configuration.
    const args = service('temporal').entrypoint ?? [];
    const option = (name: string) => args[args.indexOf(name) + 1] ?? '';
    assert.equal(inTemporalConfig('temporal', join(option('--root'), option('--config'))), TEMPORAL_CONFIG_FILES.serverConfigDir);
    assert.equal(option('--env'), TEMPORAL_CONFIG_FILES.serverConfigEnv);
    assert.equal(inTemporalConfig('temporal', service('temporal').environment?.DYNAMIC_CONFIG_FILE_PATH ?? ''), TEMPORAL_CONFIG_FILES.dynamicConfig);

    // The schema job and the namespace job run the very scripts the test cluster runs.
    assert.equal(inTemporalConfig('temporal-schema', service('temporal-schema').entrypoint?.at(-1) ?? ''), TEMPORAL_CONFIG_FILES.setupSchemaScript);
    assert.equal(inTemporalConfig('temporal-namespace', service('temporal-namespace').entrypoint?.at(-1) ?? ''), TEMPORAL_CONFIG_FILES.setupNamespaceScript);
    for (const file of Object.values(TEMPORAL_CONFIG_FILES).filter((path) => path.startsWith('/'))) {
      assert.ok(existsSync(file), `${relative(PROJECT_ROOT, file)} exists`);
    }

    // Each step waits for the one before it.
    assert.deepEqual(service('temporal-schema').depends_on, { postgresql: { condition: 'service_healthy' } });
    assert.deepEqual(service('temporal').depends_on, { 'temporal-schema': { condition: 'service_completed_successfully' } });
    assert.deepEqual(service('temporal-namespace').depends_on, { temporal: { condition: 'service_healthy' } });
    for (const name of ['worker', 'ingress']) assert.deepEqual(service(name).depends_on, { 'temporal-namespace': { condition: 'service_completed_successfully' } });
  });

  it('gives the providers\' worker-side variables (.env.worker) to the worker only: the ingress holds no provider credential', () => {
    assert.deepEqual(service('worker').env_file, ['.env', '.env.worker']);
    assert.equal(service('ingress').env_file, '.env');
    const named = (file: string) => new Set([...read(file).matchAll(/([A-Z][A-Z0-9_]+)=/g)].map(([, name]) => name));
    const inEnv = named('.env.example');
    const inWorkerEnv = named('.env.worker.example');
    for (const plugin of defaultPlugins) {
      for (const [name, variable] of Object.entries(plugin.variables)) {
        if (variable.side === 'worker') assert.ok(!inEnv.has(name), `${name} (worker only) must not be in .env.example, which the ingress reads`);
        else assert.ok(!inWorkerEnv.has(name), `${name} (read by the ingress) belongs in .env.example`);
      }
      assert.ok(inEnv.has(plugin.enabledBy), `.env.example names ${plugin.enabledBy}`);
    }
    assert.ok(inWorkerEnv.size > 0);
  });

  it('builds the worker and the ingress from the Dockerfile: production dependencies only, non-root, /readyz checked', () => {
    for (const name of ['worker', 'ingress']) assert.equal(service(name).build, '.');
    assert.deepEqual(service('worker').command, ['node', '--import', 'tsx', 'src/main/worker.ts']);
    assert.equal(service('worker').healthcheck?.disable, true, 'the worker serves no HTTP: the image\'s /readyz check is off for it');
    assert.equal(service('ingress').healthcheck, undefined, 'the ingress keeps the image\'s /readyz check');

    const dockerfile = read('Dockerfile');
    const stages = dockerfile.split(/^FROM /m).slice(1);
    assert.ok(stages.length >= 2, 'multi-stage');
    const runtime = stages.at(-1) ?? '';
    assert.match(dockerfile, /npm ci --omit=dev/);
    assert.doesNotMatch(dockerfile, /npm (ci|install)(?! --omit=dev)/, 'no step installs dev dependencies');
    assert.match(runtime, /^USER node$/m, 'the runtime stage runs as the unprivileged node user');
    assert.match(runtime, /^HEALTHCHECK [\s\S]*\/readyz/m);
    assert.match(runtime, /^CMD \["node", "--import", "tsx", "src\/main\/ingress\.ts"\]$/m);
    // tsx runs the sources at run time, so it must be a production dependency.
    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    assert.ok(manifest.dependencies.tsx, 'tsx is a production dependency');
    // What the image copies is what .dockerignore lets into the build context.
    const allowed = read('.dockerignore').split('\n').filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''));
    for (const [, source] of runtime.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const path of (source ?? '').split(' ')) assert.ok(allowed.includes(basename(path)), `.dockerignore lets ${path} in`);
    }
  });
});
