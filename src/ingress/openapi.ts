/**
 * `GET /openapi.json`: the POS contract (shared/spec/pos-api.md) machine-readable. Request bodies
 * come from the very zod schemas the routes validate with, and everything about providers (their
 * names, terminal registration, routes of their own) from the configured plugins' ingress sides,
 * so the document cannot drift from what is served.
 */
import { z } from 'zod';
import { PAYMENT_STATES } from '../../workflows/payment';
import type { IngressProviders } from '../providers';
import { createPaymentBody } from './create-request';
import { cancelBody, captureBody, refundBody } from './payment-routes';

const json = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
const body = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema: json(schema) } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const answer = (description: string, schema: object) => ({ description, content: { 'application/json': { schema } } });
export const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ref('Problem') } } });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' }, description: 'pay:<merchant>:<pos_id>:<pos_tid>' };
/**
 * Reads come from the payment's memo without a worker; a read that needs one (a payment from before
 * 0.5.0, or one too large for its memo, a till registration) is 503 when none answers within seconds.
 */
export const readErrors = { 503: problem('temporal_unavailable, or worker_unavailable (a read only a worker answers, e.g. a payment started before release 0.5.0, got no answer within 5 s); Retry-After says when to try again') };
const listParameters = (providers: readonly string[]) => [
  { name: 'pos_id', in: 'query', schema: { type: 'string', pattern: '^[a-zA-Z0-9_.-]{1,64}$' } },
  { name: 'state', in: 'query', schema: { enum: [...PAYMENT_STATES] } },
  { name: 'provider', in: 'query', schema: { enum: [...providers] } },
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 } },
  { name: 'cursor', in: 'query', schema: { type: 'string' }, description: 'next_cursor of the previous page, with the same filters; any other value is 422 on cursor' },
];
/** The signed link's query, exactly as qr.image_url carries it. */
const linkParameters = [
  { name: 'exp', in: 'query', schema: { type: 'integer' }, description: 'from qr.image_url: when the link expires (unix seconds); with sig, instead of a Bearer key' },
  { name: 'sig', in: 'query', schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' }, description: 'from qr.image_url: the link’s signature over the merchant, the payment id and exp' },
];
/** A command still waiting on the provider after 20 s (COMMAND_ANSWER_MS): it goes on; the same command again answers its outcome. */
const pending = answer('still under way after 20 s (the provider has not answered): the payment as it is; the same command again answers the outcome', ref('Payment'));
const errors = { 401: problem('missing or invalid API key'), 404: problem('no such payment for this merchant'), 409: problem('invalid_state or idempotency_conflict'), 422: problem('validation_failed, refund_exceeds_captured, terminal_not_registered') };

const money = { type: 'integer', description: 'minor units' };
const paymentSchema = (providers: readonly string[]) => ({
  type: 'object',
  properties: {
    id: { type: 'string' }, merchant_id: { type: 'string' }, provider: { enum: [...providers] },
    pos_id: { type: 'string' }, pos_tid: { type: 'string' }, amount: money, currency: { type: 'string' },
    capture_mode: { enum: ['auto', 'manual'] }, description: { type: ['string', 'null'] },
    state: { enum: [...PAYMENT_STATES] }, version: { type: 'integer' },
    qr: {
      type: ['object', 'null'],
      properties: {
        content: { type: 'string' },
        image_url: { type: 'string', description: 'the QR image (SVG), signed so that it loads without a Bearer key (e.g. in an <img>); good for QR_LINK_TTL_SECONDS (default 300) rounded up to a minute: read the payment again for a fresh one' },
      },
    },
    action_required: { enum: ['retry_or_cancel', null] },
    authorized_amount: money, captured_amount: money, refunded_amount: money,
    refunds: { type: 'array', items: ref('Refund') },
    provider_reference: { type: 'object', additionalProperties: { type: 'string' } },
    failure: { type: ['object', 'null'], properties: { code: { type: 'string' }, message: { type: 'string' } } },
    created_at: { type: 'string', format: 'date-time' }, updated_at: { type: 'string', format: 'date-time' }, expires_at: { type: 'string', format: 'date-time' },
    timeline: { type: 'array', items: { type: 'object', properties: { state: { enum: [...PAYMENT_STATES] }, at: { type: 'string' }, detail: { type: ['string', 'null'] } } } },
  },
});

/** Till registration of a provider whose tills are registered; the sticker field keeps the provider's name. */
function terminalPath(provider: string, stickerField: string): object {
  const registration = { type: 'object', required: [stickerField, 'name'], properties: { [stickerField]: { type: 'string', pattern: '^[A-Za-z0-9]{1,64}$' }, name: { type: 'string', maxLength: 64 } } };
  return {
    put: { summary: `Register the till once with ${provider} and assign its sticker (idempotent)`, requestBody: { required: true, content: { 'application/json': { schema: registration } } }, responses: { 200: { description: 'the terminal (never its password)' }, ...errors } },
    get: { summary: 'The till’s registration', responses: { 200: { description: 'the terminal' }, 404: problem('not registered: never, or unregistered since (until the next PUT)'), ...readErrors } },
    delete: { summary: 'Unregister the till', responses: { 200: { description: 'the terminal, unregistered' }, 404: problem('not registered: never, or already unregistered') } },
  };
}

/** The paths the configured providers add: terminal registration, and routes of their own under `/v1/<provider>`. */
function providerPaths(providers: IngressProviders): Record<string, object> {
  return Object.fromEntries([...providers].flatMap(([name, ingress]): [string, object][] => [
    ...(ingress.terminals ? [[`/v1/terminals/{pos_id}/${name}`, terminalPath(name, ingress.terminals.stickerField)] as [string, object]] : []),
    ...Object.entries(ingress.routes?.openApi ?? {}).map(([path, item]): [string, object] => [`/v1/${name}${path}`, item]),
  ]));
}

/** The document for the configured `providers`: their names are the `provider` enums, their paths are added. */
export function openApiDocument(ingressProviders: IngressProviders): object {
  const providers = [...ingressProviders.keys()];
  return {
    openapi: '3.1.0',
    info: { title: 'POS QR payments', version: '1', description: `Payments for point-of-sale QR codes with ${providers.join(', ')}; one Temporal workflow per payment.` },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'A POS API key (POS_API_KEYS); each belongs to one merchant' } },
      schemas: {
        Payment: paymentSchema(providers),
        Refund: { type: 'object', properties: { refund_id: { type: 'string' }, amount: money, state: { enum: ['pending', 'succeeded', 'failed'] }, reason: { type: ['string', 'null'] }, created_at: { type: 'string' }, failure: { type: ['object', 'null'] } } },
        Problem: { type: 'object', properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, code: { type: 'string' }, request_id: { type: 'string' }, errors: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, message: { type: 'string' } } } }, payment: ref('Payment') } },
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/v1/payments': {
        post: { summary: 'Start a payment (idempotent on pos_id + pos_tid); answers once the QR can be shown or the payment failed', requestBody: body(createPaymentBody(providers)), responses: { 201: answer('created', ref('Payment')), 200: answer('the same request again', ref('Payment')), ...errors } },
        get: { summary: 'List the merchant’s payments: running ones newest first, then finished ones most recently finished first (Temporal’s visibility order); unknown query parameters are 422', parameters: listParameters(providers), responses: { 200: answer('a page', { type: 'object', properties: { data: { type: 'array', items: ref('Payment') }, next_cursor: { type: ['string', 'null'] } } }), ...errors, ...readErrors } },
      },
      '/v1/payments/{id}': {
        get: { summary: 'The payment; long poll with wait_for_version and timeout (≤ 30 s)', parameters: [idParam, { name: 'wait_for_version', in: 'query', schema: { type: 'integer' } }, { name: 'timeout', in: 'query', schema: { type: 'integer', maximum: 30 } }], responses: { 200: answer('the payment', ref('Payment')), ...errors, ...readErrors } },
      },
      '/v1/payments/{id}/qr.svg': {
        get: {
          summary: 'The QR image of qr.content (also qr.png): with the Bearer key, or with no header at all through the signed qr.image_url (e.g. <img src>); a sent Bearer key decides on its own',
          security: [{ bearer: [] }, {}],
          parameters: [idParam, ...linkParameters],
          responses: {
            200: { description: 'the image', content: { 'image/svg+xml': {}, 'image/png': {} } },
            ...errors,
            403: problem('link_expired (read the payment again for a fresh qr.image_url) or link_invalid (not issued for this payment)'),
            ...readErrors,
          },
        },
      },
      '/v1/payments/{id}/cancel': { post: { summary: 'Cancel (abort, cancel session, cancelInvoice, release); 409 with the payment when it already succeeded', parameters: [idParam], requestBody: body(cancelBody), responses: { 200: answer('cancelled', ref('Payment')), 202: pending, ...errors } } },
      '/v1/payments/{id}/capture': { post: { summary: 'Capture all or part of a manual-mode authorization', parameters: [idParam], requestBody: body(captureBody), responses: { 200: answer('captured', ref('Payment')), 202: pending, ...errors } } },
      '/v1/payments/{id}/retry': { post: { summary: 'Another customer window with the same invoice (SEQR, when action_required = retry_or_cancel)', parameters: [idParam], responses: { 200: answer('waiting again', ref('Payment')), 202: pending, ...errors } } },
      '/v1/payments/{id}/refunds': { post: { summary: 'Refund (idempotent per refund_id)', parameters: [idParam], requestBody: body(refundBody), responses: { 201: answer('refund and payment', { type: 'object', properties: { refund: ref('Refund'), payment: ref('Payment') } }), 202: answer('still under way after 20 s (the provider has not answered): the refund so far (null without a refund_id) and the payment; the same request again answers the outcome', { type: 'object', properties: { refund: { oneOf: [ref('Refund'), { type: 'null' }] }, payment: ref('Payment') } }), ...errors } } },
      ...providerPaths(ingressProviders),
      '/v1/webhooks/{provider}': { post: { summary: 'Provider webhooks, verified per provider; 401 when verification fails', security: [], parameters: [{ name: 'provider', in: 'path', required: true, schema: { enum: [...providers] } }], responses: { 200: { description: 'handed to the payment' }, 401: problem('verification failed') } } },
      '/healthz': { get: { summary: 'Process up', security: [], responses: { 200: { description: 'ok' } } } },
      '/readyz': { get: { summary: 'Temporal reachable and a worker polling', security: [], responses: { 200: { description: 'ready' }, 503: problem('not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics', security: [], responses: { 200: { description: 'text/plain' } } } },
    },
  };
}
