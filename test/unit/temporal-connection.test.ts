/**
 * The Temporal connection from the environment (src/temporal/connection-config.ts): each TEMPORAL_*
 * variable lands on the option Temporal's client configuration gives it, a profile file fills what the
 * variables leave open, and every mistake stops the start with a message naming the variable and
 * holding no secret. No server: the live mTLS connection is test/cluster/mtls.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError } from '../../src/config';
import { describeConnection, loadTemporalConfig } from '../../src/temporal/connection-config';

const dir = mkdtempSync(join(tmpdir(), 'temporal-connection-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const pem = (label: string, body: string) => `-----BEGIN ${label}-----\n${Buffer.from(body).toString('base64')}\n-----END ${label}-----\n`;
const CLIENT_CERT = pem('CERTIFICATE', 'client certificate');
const CLIENT_KEY = pem('PRIVATE KEY', 'client key');
const SERVER_CA = pem('CERTIFICATE', 'server ca');
const certPath = file('client.pem', CLIENT_CERT);
const keyPath = file('client.key', CLIENT_KEY);
const caPath = file('ca.pem', SERVER_CA);
const API_KEY = 'secret-api-key-0123456789';

const text = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString() : undefined);

/** Asserts a ConfigError whose message matches `pattern` and leaks neither the API key nor a PEM body. */
function assertConfigError(env: Record<string, string | undefined>, pattern: RegExp): void {
  assert.throws(() => loadTemporalConfig(env), (error: unknown) => {
    assert.ok(error instanceof ConfigError, `a ConfigError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, new RegExp(`${API_KEY}|BEGIN PRIVATE KEY`));
    return true;
  });
}

describe('Temporal connection from the environment', () => {
  it('defaults to the embedded development server: plaintext 127.0.0.1:7233, namespace default, queue payments', () => {
    const config = loadTemporalConfig({});
    assert.deepEqual(config, { connection: { address: '127.0.0.1:7233' }, namespace: 'default', taskQueue: 'payments' });
    assert.equal(describeConnection(config.connection), '127.0.0.1:7233 (plaintext)');
  });

  it('maps TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE and TEMPORAL_TASK_QUEUE', () => {
    const config = loadTemporalConfig({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_NAMESPACE: 'payments-prod', TEMPORAL_TASK_QUEUE: 'pos' });
    assert.equal(config.connection.address, 'temporal:7233');
    assert.equal(config.namespace, 'payments-prod');
    assert.equal(config.taskQueue, 'pos');
    assert.equal(config.connection.tls, undefined);
  });

  it('counts an empty variable as unset, as compose passes a variable it has no value for', () => {
    const config = loadTemporalConfig({ TEMPORAL_ADDRESS: '', TEMPORAL_NAMESPACE: '', TEMPORAL_API_KEY: '', TEMPORAL_TLS: '', TEMPORAL_TLS_CLIENT_CERT_PATH: '' });
    assert.deepEqual(config.connection, { address: '127.0.0.1:7233' });
    assert.equal(config.namespace, 'default');
  });

  it('TEMPORAL_API_KEY: sent as the API key, and turns TLS on unless TEMPORAL_TLS=false', () => {
    const cloud = loadTemporalConfig({ TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233', TEMPORAL_API_KEY: API_KEY });
    assert.equal(cloud.connection.apiKey, API_KEY);
    assert.equal(cloud.connection.tls, true);
    assert.equal(describeConnection(cloud.connection), 'ns.acct.tmprl.cloud:7233 (TLS, API key)');
    assert.doesNotMatch(describeConnection(cloud.connection), new RegExp(API_KEY));

    const plain = loadTemporalConfig({ TEMPORAL_API_KEY: API_KEY, TEMPORAL_TLS: 'false' });
    assert.equal(plain.connection.tls, false);
    assert.equal(describeConnection(plain.connection), '127.0.0.1:7233 (plaintext, API key)');
  });

  it('TEMPORAL_TLS=true: TLS with the system roots and no client certificate', () => {
    for (const value of ['true', '1']) {
      const { tls } = loadTemporalConfig({ TEMPORAL_TLS: value }).connection;
      assert.equal(typeof tls, 'object');
      assert.equal(typeof tls === 'object' ? tls.clientCertPair : 'none', undefined);
    }
    assert.equal(loadTemporalConfig({ TEMPORAL_TLS: '0' }).connection.tls, false);
  });

  it('mTLS: the client certificate, key and server CA files, and the server name for SNI and verification', () => {
    const { connection } = loadTemporalConfig({
      TEMPORAL_ADDRESS: '10.0.0.5:7233',
      TEMPORAL_TLS_CLIENT_CERT_PATH: certPath,
      TEMPORAL_TLS_CLIENT_KEY_PATH: keyPath,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: caPath,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    assert.ok(typeof connection.tls === 'object');
    assert.equal(text(connection.tls.clientCertPair?.crt), CLIENT_CERT);
    assert.equal(text(connection.tls.clientCertPair?.key), CLIENT_KEY);
    assert.equal(text(connection.tls.serverRootCACertificate), SERVER_CA);
    assert.equal(connection.tls.serverNameOverride, 'temporal.internal');
    assert.equal(describeConnection(connection), '10.0.0.5:7233 (mTLS)');
  });

  it('takes the PEMs inline too (TEMPORAL_TLS_*_DATA)', () => {
    const { tls } = loadTemporalConfig({ TEMPORAL_TLS_CLIENT_CERT_DATA: CLIENT_CERT, TEMPORAL_TLS_CLIENT_KEY_DATA: CLIENT_KEY }).connection;
    assert.ok(typeof tls === 'object');
    assert.equal(text(tls.clientCertPair?.key), CLIENT_KEY);
  });

  it('TEMPORAL_CONFIG_FILE and TEMPORAL_PROFILE: the profile fills in, the variables win', () => {
    const toml = file('temporal.toml', [
      '[profile.default]', 'address = "default-host:7233"',
      '[profile.prod]', 'address = "prod-host:7233"', 'namespace = "prod-ns"', `api_key = "${API_KEY}"`,
      '[profile.prod.tls]', `client_cert_path = "${certPath}"`, `client_key_path = "${keyPath}"`, 'server_name = "prod.internal"',
      '[profile.prod.grpc_meta]', 'x-team = "payments"', '',
    ].join('\n'));
    assert.equal(loadTemporalConfig({ TEMPORAL_CONFIG_FILE: toml }).connection.address, 'default-host:7233');

    const prod = loadTemporalConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' });
    assert.equal(prod.connection.address, 'prod-host:7233');
    assert.equal(prod.namespace, 'prod-ns');
    assert.equal(prod.connection.apiKey, API_KEY);
    assert.deepEqual(prod.connection.metadata, { 'x-team': 'payments' });
    assert.ok(typeof prod.connection.tls === 'object');
    assert.equal(text(prod.connection.tls.clientCertPair?.crt), CLIENT_CERT);
    assert.equal(prod.connection.tls.serverNameOverride, 'prod.internal');

    const overridden = loadTemporalConfig({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod', TEMPORAL_NAMESPACE: 'other', TEMPORAL_TLS_SERVER_NAME: 'other.internal' });
    assert.equal(overridden.namespace, 'other');
    assert.ok(typeof overridden.connection.tls === 'object');
    assert.equal(overridden.connection.tls.serverNameOverride, 'other.internal');
  });

  it('reads no temporal.toml the environment does not name (not even in HOME)', () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'temporalio'), { recursive: true });
    writeFileSync(join(home, '.config', 'temporalio', 'temporal.toml'), '[profile.default]\naddress = "from-home:7233"\n');
    const config = loadTemporalConfig({ HOME: home });
    assert.equal(config.connection.address, '127.0.0.1:7233');
  });

  describe('stops the start with a message naming the variable', () => {
    it('a certificate, key or CA file that cannot be read', () => {
      assertConfigError({ TEMPORAL_TLS_CLIENT_CERT_PATH: join(dir, 'missing.pem'), TEMPORAL_TLS_CLIENT_KEY_PATH: keyPath }, /^TEMPORAL_TLS_CLIENT_CERT_PATH: cannot read .*missing\.pem$/);
      assertConfigError({ TEMPORAL_TLS_CLIENT_CERT_PATH: certPath, TEMPORAL_TLS_CLIENT_KEY_PATH: join(dir, 'missing.key') }, /^TEMPORAL_TLS_CLIENT_KEY_PATH: cannot read/);
      assertConfigError({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: dir }, /^TEMPORAL_TLS_SERVER_CA_CERT_PATH: cannot read/);
    });

    it('a file that is not PEM', () => {
      assertConfigError({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: file('not-pem.txt', 'hello') }, /^TEMPORAL_TLS_SERVER_CA_CERT_PATH is not PEM/);
    });

    it('a client certificate without its key, or a key without its certificate', () => {
      assertConfigError({ TEMPORAL_TLS_CLIENT_CERT_PATH: certPath }, /mTLS needs both TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH/);
      assertConfigError({ TEMPORAL_TLS_CLIENT_KEY_DATA: CLIENT_KEY }, /mTLS needs both/);
    });

    it('a PEM given both as a path and inline', () => {
      assertConfigError({ TEMPORAL_TLS_SERVER_CA_CERT_PATH: caPath, TEMPORAL_TLS_SERVER_CA_CERT_DATA: SERVER_CA }, /^TEMPORAL_TLS_SERVER_CA_CERT_PATH and TEMPORAL_TLS_SERVER_CA_CERT_DATA are both set/);
    });

    it('TEMPORAL_TLS that is not a boolean (envconfig would read "yes" as off)', () => {
      assertConfigError({ TEMPORAL_TLS: 'yes', TEMPORAL_API_KEY: API_KEY }, /^TEMPORAL_TLS must be true or false/);
    });

    it('TEMPORAL_CONFIG_FILE that cannot be read, is not TOML, or has an unknown key', () => {
      assertConfigError({ TEMPORAL_CONFIG_FILE: join(dir, 'missing.toml') }, /^TEMPORAL_CONFIG_FILE: cannot read .*missing\.toml$/);
      // The syntax error is on the API key's line: the message gives its position, not its text.
      const broken = file('broken.toml', `[profile.default]\napi_key = "${API_KEY}\n`);
      assertConfigError({ TEMPORAL_CONFIG_FILE: broken }, /^TEMPORAL_CONFIG_FILE .*broken\.toml is not valid TOML \(line \d+, column \d+\)$/);
      const typo = file('typo.toml', `[profile.default.tls]\nclient_cert = "${certPath}"\n`);
      assertConfigError({ TEMPORAL_CONFIG_FILE: typo }, /^TEMPORAL_CONFIG_FILE .*typo\.toml: .*client_cert/);
    });

    it('TEMPORAL_PROFILE without a file, or naming a profile the file does not have', () => {
      assertConfigError({ TEMPORAL_PROFILE: 'prod' }, /^TEMPORAL_PROFILE names a profile, but TEMPORAL_CONFIG_FILE .* is not set$/);
      const toml = file('only-default.toml', '[profile.default]\naddress = "a:7233"\n');
      assertConfigError({ TEMPORAL_CONFIG_FILE: toml, TEMPORAL_PROFILE: 'prod' }, /^TEMPORAL_PROFILE: no profile "prod" in .*only-default\.toml$/);
    });

    it('a certificate file the profile names that cannot be read, by its key in the profile', () => {
      const toml = file('bad-path.toml', `[profile.default.tls]\nserver_ca_cert_path = "${join(dir, 'gone.pem')}"\n`);
      assertConfigError({ TEMPORAL_CONFIG_FILE: toml }, /^profile "default" tls\.server_ca_cert_path in TEMPORAL_CONFIG_FILE: cannot read .*gone\.pem$/);
    });
  });
});
