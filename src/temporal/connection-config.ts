/**
 * Where and how the worker and the ingress reach Temporal, configured the way Temporal's own clients
 * and CLI are (shared/spec/pos-api.md, "Configuration"): `@temporalio/envconfig` maps TEMPORAL_ADDRESS,
 * TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS, TEMPORAL_TLS_* and a TOML profile file
 * (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE) onto connection options, so the variables that point the
 * `temporal` CLI at a TLS cluster or Temporal Cloud point the service there unchanged.
 *
 * What this adds to envconfig: a mistake stops the process at start with a ConfigError naming the
 * variable, where envconfig alone would ignore a TEMPORAL_CONFIG_FILE that does not exist, drop a client
 * certificate given without its key (and connect without mTLS), read `TEMPORAL_TLS=yes` as "off", or
 * fail on a missing PEM with a bare ENOENT. No message ever carries the API key or a key's contents.
 */
import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import { loadClientConfigProfile, toClientOptions, type ClientConfigProfile, type ClientConfigTLS, type ConfigDataSource } from '@temporalio/envconfig';
import { ConfigError } from '../config';

type Env = Record<string, string | undefined>;

/** What both SDK connections take: the client's `Connection` (ingress) and the worker's `NativeConnection`. */
export interface TemporalConnectionOptions {
  address: string;
  /** Absent or false: plaintext. `true`: TLS with the system's roots. An object: custom roots, SNI, mTLS pair. */
  tls?: TLSConfig | boolean;
  apiKey?: string;
  /** gRPC headers from TEMPORAL_GRPC_META_* or the profile's `grpc_meta`. */
  metadata?: Record<string, string>;
}

export interface TemporalConfig {
  connection: TemporalConnectionOptions;
  namespace: string;
  taskQueue: string;
}

/** The embedded development default; envconfig's own default would be `localhost:7233`. */
const DEFAULT_ADDRESS = '127.0.0.1:7233';

/** The certificate and key sources of a profile: envconfig's field, its variables and its TOML key. */
const TLS_SOURCES = [
  { field: 'clientCert', variable: 'TEMPORAL_TLS_CLIENT_CERT', tomlKey: 'client_cert' },
  { field: 'clientKey', variable: 'TEMPORAL_TLS_CLIENT_KEY', tomlKey: 'client_key' },
  { field: 'serverCACert', variable: 'TEMPORAL_TLS_SERVER_CA_CERT', tomlKey: 'server_ca_cert' },
] as const;

type TlsSource = (typeof TLS_SOURCES)[number];

/**
 * The connection, namespace and task queue from `env`; throws a ConfigError naming the variable when
 * anything is wrong. Certificates and keys are read here, once, so the connections never touch a file.
 */
export function loadTemporalConfig(env: Env): TemporalConfig {
  const given = setVariables(env);
  checkVariables(given);
  const profile = loadProfile(given);
  if (profile.tls) profile.tls = readTlsFiles(profile.tls, given);
  const { connectionOptions, namespace } = toClientOptions(profile);
  return {
    connection: {
      address: connectionOptions.address ?? DEFAULT_ADDRESS,
      ...(connectionOptions.tls !== undefined && connectionOptions.tls !== null ? { tls: connectionOptions.tls } : {}),
      ...(connectionOptions.apiKey !== undefined ? { apiKey: connectionOptions.apiKey } : {}),
      ...(profile.grpcMeta ? { metadata: profile.grpcMeta } : {}),
    },
    namespace: namespace ?? 'default',
    taskQueue: given.TEMPORAL_TASK_QUEUE ?? 'payments',
  };
}

/** For logs: where, and how the connection is secured; never a key or a certificate. */
export function describeConnection(connection: TemporalConnectionOptions): string {
  const { tls } = connection;
  const transport = !tls ? 'plaintext' : typeof tls === 'object' && tls.clientCertPair ? 'mTLS' : 'TLS';
  return `${connection.address} (${transport}${connection.apiKey ? ', API key' : ''})`;
}

/**
 * The variables that are set. An empty one counts as unset: compose and many deployment tools pass a
 * variable they have no value for as empty, and envconfig would take `TEMPORAL_ADDRESS=` as an address.
 */
function setVariables(env: Env): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''));
}

function checkVariables(env: Record<string, string>): void {
  const tls = env.TEMPORAL_TLS;
  if (tls !== undefined && !['true', 'false', '1', '0'].includes(tls)) {
    throw new ConfigError('TEMPORAL_TLS must be true or false (or 1 or 0)');
  }
  for (const { variable } of TLS_SOURCES) {
    if (env[`${variable}_PATH`] !== undefined && env[`${variable}_DATA`] !== undefined) {
      throw new ConfigError(`${variable}_PATH and ${variable}_DATA are both set: give the PEM one way`);
    }
  }
  if (env.TEMPORAL_PROFILE !== undefined && env.TEMPORAL_CONFIG_FILE === undefined) {
    throw new ConfigError('TEMPORAL_PROFILE names a profile, but TEMPORAL_CONFIG_FILE (the TOML file that holds it) is not set');
  }
}

/**
 * The profile TEMPORAL_PROFILE names (else `default`) in TEMPORAL_CONFIG_FILE, with the variables on
 * top. Only a file the environment names is read: a process configured by its environment must not
 * change with whatever `temporal.toml` sits in the home directory of the user it runs as.
 */
function loadProfile(env: Record<string, string>): ClientConfigProfile {
  const file = env.TEMPORAL_CONFIG_FILE;
  const source = file === undefined ? { disableFile: true } : { configSource: { data: readOrFail('TEMPORAL_CONFIG_FILE', file) } };
  try {
    return loadClientConfigProfile({ ...source, configFileStrict: true, overrideEnvVars: env });
  } catch (error) {
    throw new ConfigError(profileProblem(error, env));
  }
}

function profileProblem(error: unknown, env: Record<string, string>): string {
  const file = `TEMPORAL_CONFIG_FILE ${env.TEMPORAL_CONFIG_FILE ?? ''}`;
  if (!(error instanceof Error)) return `${file}: ${String(error)}`;
  // A TOML syntax error quotes the offending lines, which may hold the API key: give the position only.
  const { line, column } = error as { line?: unknown; column?: unknown };
  if (typeof line === 'number' && typeof column === 'number') return `${file} is not valid TOML (line ${line}, column ${column})`;
  if (/^Profile '.*' not found/.test(error.message)) return `TEMPORAL_PROFILE: no profile "${env.TEMPORAL_PROFILE ?? ''}" in ${env.TEMPORAL_CONFIG_FILE ?? ''}`;
  return `${file}: ${error.message}`;
}

/**
 * Reads every certificate and key the profile names into memory, so a missing file or one that is
 * not PEM is reported here, by the name it was given under, rather than by the TLS handshake.
 */
function readTlsFiles(tls: ClientConfigTLS, env: Record<string, string>): ClientConfigTLS {
  const resolved: ClientConfigTLS = { ...tls };
  for (const source of TLS_SOURCES) {
    const given = tls[source.field];
    if (given) resolved[source.field] = { data: readPem(source, given, env) };
  }
  if (Boolean(resolved.clientCert) !== Boolean(resolved.clientKey)) {
    throw new ConfigError('mTLS needs both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH (or their _DATA forms, or the profile\'s client_cert_path and client_key_path); only one is set');
  }
  return resolved;
}

function readPem(source: TlsSource, given: ConfigDataSource, env: Record<string, string>): Uint8Array {
  const name = sourceName(source, 'path' in given ? 'path' : 'data', env);
  const bytes = 'path' in given ? readOrFail(name, given.path) : typeof given.data === 'string' ? Buffer.from(given.data) : given.data;
  if (!Buffer.from(bytes).includes('-----BEGIN ')) throw new ConfigError(`${name} is not PEM (no -----BEGIN line)`);
  return bytes;
}

/** The variable a certificate source came from, or its key in the profile file when no variable set it. */
function sourceName(source: TlsSource, form: 'path' | 'data', env: Record<string, string>): string {
  const variable = `${source.variable}_${form.toUpperCase()}`;
  if (env[variable] !== undefined) return variable;
  return `profile "${env.TEMPORAL_PROFILE ?? 'default'}" tls.${source.tomlKey}_${form} in TEMPORAL_CONFIG_FILE`;
}

function readOrFail(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch {
    throw new ConfigError(`${name}: cannot read ${path}`);
  }
}
