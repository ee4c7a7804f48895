/**
 * What must never reach a log line: every configured secret (provider credentials, POS API keys,
 * Temporal's API key, the QR link key), Authorization header values and scan tokens. Field paths are
 * censored by pino's `redact`; a secret that ends up inside a message or an error text anyway (a URL,
 * a stack) is caught by scrubbing the serialized line, which is the last thing before the output.
 */
import { parseApiKeys } from '../config';

type Env = Record<string, string | undefined>;

/** The service's own secret variables; providers' are declared by their plugins (`secretVariables`). */
export const SECRET_VARIABLES = ['TEMPORAL_API_KEY', 'QR_LINK_SECRET'] as const;

/** Field paths pino censors wherever they appear at these depths. */
export const REDACTED_PATHS = [
  'authorization', '*.authorization', '*.headers.authorization', 'headers.authorization', 'req.headers.authorization',
  'token', '*.token', 'scan_token', '*.scan_token', 'apiKey', '*.apiKey', 'secret', '*.secret', 'password', '*.password',
];

export const CENSOR = '[REDACTED]';

/** Credentials after an auth scheme, wherever they appear in a line. */
const AUTH_SCHEME = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g;

/** Secret values known to this process; a stack that makes up sandbox credentials adds them as it goes. */
export class SecretScrubber {
  private patterns: string[] = [];

  /** Adds the secret values of `env`: the variables above, `providerSecrets` and the keys of POS_API_KEYS. */
  addFromEnv(env: Env, providerSecrets: readonly string[] = []): void {
    const values = [...SECRET_VARIABLES, ...providerSecrets].map((name) => env[name]).filter((value): value is string => Boolean(value));
    if (env.POS_API_KEYS) {
      try {
        values.push(...parseApiKeys(env.POS_API_KEYS).keys());
      } catch {
        // A malformed list stops the ingress with its own message; its raw value still stays out of the logs.
        values.push(env.POS_API_KEYS);
      }
    }
    this.add(values);
  }

  add(values: Iterable<string>): void {
    const known = new Set(this.patterns);
    for (const value of values) {
      // Short values would censor ordinary words; every configured secret is far longer.
      if (value.length < 6) continue;
      // A PEM (or any value with quotes or newlines) appears JSON-escaped in a serialized line.
      for (const form of [value, JSON.stringify(value).slice(1, -1)]) known.add(form);
    }
    // Longest first, so a secret that contains another is censored whole.
    this.patterns = [...known].sort((a, b) => b.length - a.length);
  }

  scrub(line: string): string {
    let clean = line.replace(AUTH_SCHEME, `$1 ${CENSOR}`);
    for (const secret of this.patterns) {
      if (clean.includes(secret)) clean = clean.split(secret).join(CENSOR);
    }
    return clean;
  }
}
