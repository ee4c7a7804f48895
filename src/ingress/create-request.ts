/**
 * `POST /v1/payments` body → a complete `CreatePaymentRequest` with every default filled in, so the
 * workflow input (and the idempotency fingerprint) never depends on what the caller left out.
 */
import { z } from 'zod';
import type { IngressProviders } from '../providers';
import type { RequestRules } from '../../activities/provider';
import type { ProviderIngress } from '../../activities/provider-plugin';
import { ID_PATTERN } from '../../workflows/ids';
import { isKnownCurrency } from '../../workflows/money';
import type { CreatePaymentRequest } from '../../workflows/payment';
import { problems, type FieldMessage } from './problem';

const id = z.string().regex(ID_PATTERN, 'must match ^[a-zA-Z0-9_.-]{1,64}$');
const amount = z.number().int('must be an integer in minor units').positive('must be greater than 0').max(Number.MAX_SAFE_INTEGER);

/** One of the configured providers; any other is a field error that lists them. */
export const providerName = (providers: readonly string[]) => z.enum(providers as [string, ...string[]]);

/** The body schema for the configured `providers` (OpenAPI shows the same one). */
export const createPaymentBody = (providers: readonly string[]) => z.strictObject({
  provider: providerName(providers),
  pos_id: id,
  pos_tid: id,
  amount,
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO-4217 code such as EUR').refine(isKnownCurrency, 'is not a currency we know'),
  capture_mode: z.enum(['auto', 'manual']).default('auto'),
  timeout_seconds: z.number().int().positive().optional(),
  description: z.string().max(255).nullish(),
  line_items: z.array(z.strictObject({ description: z.string().min(1).max(255), quantity: z.number().int().positive(), amount })).min(1).nullish(),
  // JSON values as sent; the provider's rules parse them (RequestRules.options).
  provider_options: z.record(z.string(), z.unknown()).default({}).meta({
    description: 'provider-specific: Settle {shortlink_id}; Tabby {latitude, longitude}; Paysera {spot_id} (integer) or {spot_code}; SEQR {seqr_id} (optional, must be the till’s registered sticker)',
  }),
});

/** Field-level messages; `under` prefixes fields of a nested object (`provider_options` → `provider_options.spot_id`). */
export function fieldMessages(error: z.ZodError, under?: string): FieldMessage[] {
  return error.issues.map((issue) => {
    const field = issue.path.join('.') || (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : '');
    return {
      field: under ? [under, field].filter(Boolean).join('.') : field || '(body)',
      message: issue.code === 'unrecognized_keys' ? 'is not a field of this request' : issue.message,
    };
  });
}

/** The provider's own parse of its options: normalised strings, or field errors under `provider_options`. */
function parseProviderOptions(rules: RequestRules, options: Record<string, unknown>): { options: Record<string, string>; errors: FieldMessage[] } {
  const parsed = rules.options.safeParse(options);
  return parsed.success ? { options: parsed.data, errors: [] } : { options: {}, errors: fieldMessages(parsed.error, 'provider_options') };
}

/** The parser of create bodies for the configured `providers`. */
export function createRequestParser(providers: IngressProviders): (body: unknown) => CreatePaymentRequest {
  const schema = createPaymentBody([...providers.keys()]);
  return (body) => {
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw problems.validation(fieldMessages(parsed.error));
    // The schema admits configured providers only.
    return completeRequest(parsed.data, (providers.get(parsed.data.provider) as ProviderIngress).rules);
  };
}

/** The provider's rules applied to a parsed body: defaults filled in, or every field error at once. */
function completeRequest(input: z.output<ReturnType<typeof createPaymentBody>>, rules: RequestRules): CreatePaymentRequest {
  const options = parseProviderOptions(rules, input.provider_options);

  const request: CreatePaymentRequest = {
    provider: input.provider,
    pos_id: input.pos_id,
    pos_tid: input.pos_tid,
    amount: input.amount,
    currency: input.currency,
    capture_mode: input.capture_mode,
    timeout_seconds: input.timeout_seconds ?? rules.defaultTimeoutSeconds,
    description: input.description ?? null,
    line_items: input.line_items ?? null,
    provider_options: options.options,
  };
  const errors: FieldMessage[] = [...options.errors];
  if (!rules.currencies.includes(request.currency)) {
    errors.push({ field: 'currency', message: `${input.provider} accepts ${rules.currencies.join(', ')}` });
  }
  if (request.timeout_seconds < rules.minTimeoutSeconds || request.timeout_seconds > rules.maxTimeoutSeconds) {
    errors.push({ field: 'timeout_seconds', message: `${input.provider} needs between ${rules.minTimeoutSeconds} and ${rules.maxTimeoutSeconds}` });
  }
  if (request.line_items && request.line_items.reduce((sum, item) => sum + item.amount * item.quantity, 0) !== request.amount) {
    errors.push({ field: 'line_items', message: 'quantity × amount of the items must add up to amount' });
  }
  errors.push(...(rules.check?.(request) ?? []));
  if (errors.length > 0) throw problems.validation(errors);
  return request;
}
