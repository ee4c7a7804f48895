/**
 * Parsed keys are what every RSA signer and verifier uses: one KeyObject per PEM, signatures equal
 * to those made from the PEM itself, and a PEM that is no key still fails as it did.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { privateKeyOf, publicKeyOf } from '../../src/crypto-keys';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('crypto keys', () => {
  it('parses each PEM once: the same key object every time', () => {
    assert.equal(privateKeyOf(PRIVATE_PEM), privateKeyOf(PRIVATE_PEM));
    assert.equal(publicKeyOf(PUBLIC_PEM), publicKeyOf(PUBLIC_PEM));
    assert.equal(privateKeyOf(PRIVATE_PEM).type, 'private');
    assert.equal(publicKeyOf(PUBLIC_PEM).type, 'public');
  });

  it('signs exactly as the PEM does (RSA PKCS#1 v1.5 is deterministic) and verifies those signatures', () => {
    const data = Buffer.from('GET|https://api.example|X-SETTLE-MERCHANT=1');
    const signature = sign('sha256', data, privateKeyOf(PRIVATE_PEM));
    assert.deepEqual(signature, sign('sha256', data, PRIVATE_PEM));
    assert.equal(verify('sha256', data, publicKeyOf(PUBLIC_PEM), signature), true);
    assert.equal(verify('sha256', Buffer.from('tampered'), publicKeyOf(PUBLIC_PEM), signature), false);
  });

  it('throws for a PEM that is not a key, and remembers nothing for it', () => {
    assert.throws(() => privateKeyOf('-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n'));
    assert.throws(() => publicKeyOf('not a key'));
    assert.throws(() => publicKeyOf('not a key'));
  });
});
