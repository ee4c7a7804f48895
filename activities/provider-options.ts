/**
 * `provider_options` of a create request, parsed by the provider that owns them. The caller sends
 * JSON values (Paysera's `spot_id` is an integer); the workflow keeps every option as a string, so
 * its input type (`Record<string, string>`) and the idempotency fingerprint stay what recorded
 * histories hold, and `{"spot_id": 5}` and `{"spot_id": "5"}` are the same request.
 */
import { z } from 'zod';

/** Raw options in, normalised string options out; issue paths are relative to `provider_options`. */
export type ProviderOptionsSchema = z.ZodType<Record<string, string>>;

type OptionShape = Record<string, z.ZodType<string | undefined>>;

/** A free-text option value. */
export const textOption = () => z.string({ error: 'must be a string' }).max(255, 'must be at most 255 characters');

/** An option that is an integer id: a JSON integer or a string of digits, kept as its decimal string. */
export const integerIdOption = (what: string) => {
  const message = `must be ${what}, an integer such as 5 or "5"`;
  return z
    .union([z.int(), z.string().regex(/^\d{1,16}$/).transform(Number)], { error: message })
    .pipe(z.int({ error: message }).positive(message).max(Number.MAX_SAFE_INTEGER, message))
    .transform(String);
};

/**
 * The options `provider` takes: every key of `shape` (each optional unless its schema says
 * otherwise) and no other; an unknown key is an error of its own, naming the known ones.
 */
export function providerOptions(provider: string, shape: OptionShape): ProviderOptionsSchema {
  const known = Object.keys(shape);
  const unknownMessage = known.length > 0 ? `is not a ${provider} option (known: ${known.join(', ')})` : `is not a ${provider} option (${provider} takes none)`;
  return z
    .looseObject(shape)
    .superRefine((options, context) => {
      for (const key of Object.keys(options).filter((name) => !known.includes(name))) {
        context.addIssue({ code: 'custom', path: [key], message: unknownMessage });
      }
    })
    .transform(givenOnly);
}

/** Drops options the caller left out, so the stored request holds exactly what was given. */
function givenOnly(options: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(options).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}
