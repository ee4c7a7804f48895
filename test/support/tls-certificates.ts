/**
 * A throwaway PKI for mutual TLS tests, made with the `openssl` command at test time: one CA, a server
 * certificate for the Temporal frontend and client certificates, all valid for a day. Nothing is
 * committed: every run gets fresh keys in a directory the caller removes.
 */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface CertificatePair {
  certPath: string;
  keyPath: string;
}

export interface TestPki {
  caPath: string;
  /** Issues a certificate for `name`: a server's (its DNS name) or a client's (its common name). */
  issue(name: string, role: 'server' | 'client'): Promise<CertificatePair>;
}

/** EC P-256 keys: quick to make, and taken by Go (the server), rustls (the worker) and Node (the ingress). */
const NEW_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

async function openssl(args: string[]): Promise<void> {
  try {
    await run('openssl', args, { timeout: 30_000 });
  } catch (error) {
    throw new Error(`openssl ${args[0] ?? ''} failed (is openssl installed?): ${(error as Error).message}`, { cause: error });
  }
}

export async function createTestPki(dir: string): Promise<TestPki> {
  const caPath = join(dir, 'ca.pem');
  const caKeyPath = join(dir, 'ca.key');
  await openssl(['req', '-x509', ...NEW_KEY, '-keyout', caKeyPath, '-out', caPath, '-days', '1', '-subj', '/CN=pos-qr-payments test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);

  return {
    caPath,
    async issue(name, role) {
      const base = join(dir, `${role}-${name}`);
      const pair = { certPath: `${base}.pem`, keyPath: `${base}.key` };
      await openssl(['req', ...NEW_KEY, '-keyout', pair.keyPath, '-out', `${base}.csr`, '-subj', `/CN=${name}`]);
      // rustls and Go check the extended key usage; a server is known by its DNS name, never its CN.
      const extensions = role === 'server'
        ? `subjectAltName=DNS:${name}\nextendedKeyUsage=serverAuth\n`
        : 'extendedKeyUsage=clientAuth\n';
      await writeFile(`${base}.ext`, `basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n${extensions}`);
      await openssl(['x509', '-req', '-in', `${base}.csr`, '-CA', caPath, '-CAkey', caKeyPath, '-CAcreateserial', '-days', '1', '-out', pair.certPath, '-extfile', `${base}.ext`]);
      return pair;
    },
  };
}
