/**
 * temporal-config/, where everything a Temporal server is started with lives in Temporal's own
 * formats, shared by the dev server, docker-compose and the PostgreSQL-backed test cluster: the
 * namespace and its search attributes, the dynamic config, the server configuration and the scripts
 * that set a cluster up.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parse } from 'yaml';
import { PROJECT_ROOT } from './go-install';

const TEMPORAL_CONFIG = join(PROJECT_ROOT, 'temporal-config');

export const TEMPORAL_CONFIG_FILES = {
  /** `temporal-server --config <dir> --env <env>` reads `<dir>/<env>.yaml`. */
  serverConfigDir: join(TEMPORAL_CONFIG, 'server'),
  serverConfigEnv: 'postgres',
  dynamicConfig: join(TEMPORAL_CONFIG, 'dynamicconfig', 'payments.yaml'),
  setupSchemaScript: join(TEMPORAL_CONFIG, 'setup-schema.sh'),
  setupNamespaceScript: join(TEMPORAL_CONFIG, 'setup-namespace.sh'),
} as const;

export interface NamespaceSettings {
  namespace: string;
  /** Search attribute name → its Temporal type (`Keyword`, `Int`, ...). */
  searchAttributes: Record<string, string>;
}

/** The namespace and its search attributes (temporal-config/namespace.env, which setup-namespace.sh sources). */
export function namespaceSettings(): NamespaceSettings {
  const file = join(TEMPORAL_CONFIG, 'namespace.env');
  const { NAMESPACE, SEARCH_ATTRIBUTES } = parseEnv(readFileSync(file, 'utf8'));
  if (!NAMESPACE || !SEARCH_ATTRIBUTES) throw new Error(`${file} must set NAMESPACE and SEARCH_ATTRIBUTES`);
  const pairs = SEARCH_ATTRIBUTES.split(/\s+/).filter(Boolean).map((pair) => pair.split('='));
  return { namespace: NAMESPACE, searchAttributes: Object.fromEntries(pairs) as Record<string, string> };
}

type DynamicConfigFile = Record<string, { value: unknown; constraints?: Record<string, unknown> }[]>;

/**
 * The dynamic config as key → value, for the dev server's `--dynamic-config-value` flags. Those
 * take no constraints (per namespace, task queue...), so a constrained value is refused here rather
 * than silently applied to everything.
 */
export function dynamicConfigValues(): Record<string, unknown> {
  const file = parse(readFileSync(TEMPORAL_CONFIG_FILES.dynamicConfig, 'utf8')) as DynamicConfigFile;
  return Object.fromEntries(Object.entries(file).map(([key, values]) => {
    if (values.length !== 1 || Object.keys(values[0]?.constraints ?? {}).length > 0) {
      throw new Error(`${TEMPORAL_CONFIG_FILES.dynamicConfig}: ${key} has constrained values, which the dev server cannot take`);
    }
    return [key, values[0]?.value];
  }));
}
