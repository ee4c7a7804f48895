/**
 * The process's one logger: pino JSON lines on stdout (production: `npm run worker`, `npm run ingress`),
 * or human-readable lines for `npm start` (`LOG_FORMAT=pretty`). Every line passes the secret scrubber
 * last, whatever wrote it: our code, the Temporal runtime, workflow and activity logs (see
 * temporal-runtime.ts). `LOG_LEVEL` (default `info`) sets the threshold.
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { CENSOR, REDACTED_PATHS, SecretScrubber } from './redaction';

export type { Logger };

/** The configured secrets of this process; entry points and the embedded stack add theirs. */
export const secrets = new SecretScrubber();
secrets.addFromEnv(process.env);

/** Where serialized lines go; swapped for the pretty printer or, in tests, a capture. */
let destination: (line: string) => void = (line) => void process.stdout.write(line);

export const logger: Logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    // The Temporal SDK passes errors as `error`; ours use pino's `err`.
    serializers: { err: pino.stdSerializers.err, error: pino.stdSerializers.err },
    redact: { paths: REDACTED_PATHS, censor: CENSOR },
    hooks: { streamWrite: (line) => secrets.scrub(line) },
  },
  { write: (line: string) => destination(line) },
);

/** `LOG_FORMAT=pretty` (or `fallback` when unset): a readable line per event for people (coloured on a terminal). */
export function useLogFormat(env: Record<string, string | undefined>, fallback: 'json' | 'pretty'): void {
  if ((env.LOG_FORMAT ?? fallback) !== 'pretty') return;
  const printer = pretty({ sync: true, colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' });
  destination = (line) => void printer.write(line);
}

/** Sends every serialized (already scrubbed) line to `write` instead; returns the way back. */
export function redirectLogs(write: (line: string) => void): () => void {
  const previous = destination;
  destination = write;
  return () => {
    destination = previous;
  };
}
