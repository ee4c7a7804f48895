/** SEQR as one plugin: its variables, adapter and terminals, create-request rules, the notification hint and sandbox. */
import { z } from 'zod';
import { pollIntervalMs } from '../../src/provider-config';
import { STICKER_PATTERN } from '../../workflows/terminal';
import { definePlugin, secret, setting } from '../provider-plugin';
import { providerOptions, textOption } from '../provider-options';
import { SeqrAdapter } from './adapter';
import { seqrSandbox } from './sandbox';
import { seqrNotification } from './webhook';

/**
 * The QR is the till's registered sticker; a till may name it (`seqr_id`) to be sure it shows the
 * sticker it expects. The ingress compares it with the registration (a mismatch is 422).
 */
const options = providerOptions('SEQR', { seqr_id: textOption().regex(STICKER_PATTERN, 'must be alphanumeric, 1 to 64 characters').optional() });

export const seqrPlugin = definePlugin({
  name: 'seqr',
  title: 'SEQR',
  enabledBy: 'SEQR_BASE_URL',
  variables: {
    SEQR_BASE_URL: setting('both', 'the SEQR SOAP endpoint; SEQR is enabled when set', z.url({ error: 'SEQR_BASE_URL must be the SEQR SOAP endpoint URL' })),
    SEQR_RESELLER_ID: setting('worker', 'the reseller that registers tills', z.string().min(1)),
    SEQR_RESELLER_USER_ID: setting('worker', 'the reseller’s user', z.string().min(1)),
    SEQR_RESELLER_PASSWORD: secret('worker', 'the reseller user’s password', z.string().min(1)),
    SEQR_TERMINAL_SECRET: secret('worker', 'derives each till’s terminal password (≥ 16 characters; keep it stable)', z.string().min(16, 'must be at least 16 characters: terminal passwords are derived from it')),
    SEQR_CLIENT_ID: setting('worker', '`context.clientId`, our POS software’s name', z.string().min(1).default('pos-qr-payments')),
    SEQR_POLL_INTERVAL_MS: setting('worker', 'status poll cadence', pollIntervalMs(1000)),
    SEQR_WINDOW_SECONDS: setting('both', 'the cashier window (the shortest `timeout_seconds` too)', z.coerce.number().int().positive().default(30)),
  },
  worker: (config, context) => {
    const adapter = new SeqrAdapter({
      endpoint: config.SEQR_BASE_URL,
      requestTimeoutMs: context.requestTimeoutMs,
      clientId: config.SEQR_CLIENT_ID,
      reseller: { id: config.SEQR_RESELLER_ID, userId: config.SEQR_RESELLER_USER_ID, password: config.SEQR_RESELLER_PASSWORD },
      terminalSecret: config.SEQR_TERMINAL_SECRET,
      notificationUrl: context.webhookUrl,
      lookup: context.terminals,
      pollIntervalMs: config.SEQR_POLL_INTERVAL_MS,
      windowMs: config.SEQR_WINDOW_SECONDS * 1000,
    });
    return { adapter, terminals: adapter };
  },
  ingress: (config) => ({
    terminals: { stickerField: 'seqr_id' },
    rules: {
      currencies: ['SEK', 'EUR', 'NOK', 'DKK'],
      defaultTimeoutSeconds: 300,
      // At least one cashier window; an invoice lives until cancelled, but a till waits minutes at most.
      minTimeoutSeconds: config.SEQR_WINDOW_SECONDS,
      maxTimeoutSeconds: 3600,
      options,
      check: (request) => request.capture_mode === 'manual' ? [{ field: 'capture_mode', message: 'SEQR invoices are paid at once; only auto is possible' }] : [],
    },
    verifyWebhook: seqrNotification,
  }),
  sandbox: seqrSandbox,
});
