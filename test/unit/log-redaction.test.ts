/**
 * The log scrubber on its own: every secret variable, POS API keys, PEMs as JSON escapes them, and
 * credentials after an auth scheme, censored in serialized lines; field paths censored by pino.
 * (test/e2e/observability.test.ts greps the logs of a full flow of every provider.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logger, redirectLogs, secrets } from '../../src/observability/logger';
import { CENSOR, SECRET_VARIABLES, SecretScrubber } from '../../src/observability/redaction';
import { defaultPlugins, secretVariables } from '../../src/providers';

/** The service's secret variables and every built-in provider's. */
const SECRETS = [...SECRET_VARIABLES, ...secretVariables(defaultPlugins)];

const PEM = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';

describe('log redaction', () => {
  it('censors the value of every secret variable, each POS API key and a PEM inside JSON', () => {
    const env: Record<string, string> = Object.fromEntries(SECRETS.map((name) => [name, `${name.toLowerCase()}-value-123`]));
    env.SETTLE_PRIVATE_KEY = PEM;
    env.POS_API_KEYS = 'till_key_aaaaaaaa=m-a,till_key_bbbbbbbb=m-b';
    const scrubber = new SecretScrubber();
    scrubber.addFromEnv(env, secretVariables(defaultPlugins));
    const values = [...SECRETS.map((name) => env[name]!), 'till_key_aaaaaaaa', 'till_key_bbbbbbbb'];
    const line = JSON.stringify({ msg: `failed with ${values.join(' and ')}`, key: PEM });
    const clean = scrubber.scrub(line);
    for (const value of values) assert.equal(clean.includes(JSON.stringify(value).slice(1, -1)), false, value);
    assert.ok(clean.includes(CENSOR));
  });

  it('censors Bearer and Basic credentials anywhere, and authorization, token and password fields', () => {
    const lines: string[] = [];
    const restore = redirectLogs((line) => void lines.push(line));
    try {
      secrets.add(['a-configured-secret']);
      logger.info({ headers: { authorization: 'Bearer abc' }, req: { headers: { authorization: 'Basic xyz' } }, scan_token: 'tok-1', token: 'tok-2', password: 'pw-1' }, 'sent Authorization: Bearer live_key.123 with a-configured-secret');
    } finally {
      restore();
    }
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(entry.msg, `sent Authorization: Bearer ${CENSOR} with ${CENSOR}`);
    assert.doesNotMatch(lines[0]!, /abc|xyz|tok-1|tok-2|pw-1|live_key/);
  });
});
