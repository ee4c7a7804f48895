/** SEQR as one provider module: adapter, terminals, create-request rules and the notification hint. */
import type { ProviderModule } from '../provider';
import { providerOptions, textOption } from '../provider-options';
import { STICKER_PATTERN } from '../../workflows/terminal';
import { SeqrAdapter, type SeqrSettings } from './adapter';
import { seqrNotification } from './webhook';

/**
 * The QR is the till's registered sticker; a till may name it (`seqr_id`) to be sure it shows the
 * sticker it expects. The ingress compares it with the registration (a mismatch is 422).
 */
const options = providerOptions('SEQR', { seqr_id: textOption().regex(STICKER_PATTERN, 'must be alphanumeric, 1 to 64 characters').optional() });

export function seqrModule(settings: SeqrSettings): ProviderModule {
  const adapter = new SeqrAdapter(settings);
  const windowSeconds = (settings.traits.customer_window_ms ?? 30_000) / 1000;
  return {
    adapter,
    terminals: { stickerField: 'seqr_id', adapter },
    rules: {
      currencies: ['SEK', 'EUR', 'NOK', 'DKK'],
      defaultTimeoutSeconds: 300,
      // At least one cashier window; an invoice lives until cancelled, but a till waits minutes at most.
      minTimeoutSeconds: windowSeconds,
      maxTimeoutSeconds: 3600,
      options,
      check: (request) => request.capture_mode === 'manual' ? [{ field: 'capture_mode', message: 'SEQR invoices are paid at once; only auto is possible' }] : [],
    },
    verifyWebhook: seqrNotification,
  };
}
