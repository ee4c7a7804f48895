/** SEQR as one provider module: adapter, terminals, create-request rules and the notification hint. */
import type { ProviderModule } from '../provider';
import { SeqrAdapter, type SeqrSettings } from './adapter';
import { seqrNotification } from './webhook';

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
      check: (request) => [
        ...Object.keys(request.provider_options).map((key) => ({ field: `provider_options.${key}`, message: 'SEQR takes no provider options (the till’s SEQR id comes from its registration)' })),
        ...(request.capture_mode === 'manual' ? [{ field: 'capture_mode', message: 'SEQR invoices are paid at once; only auto is possible' }] : []),
      ],
    },
    verifyWebhook: seqrNotification,
  };
}
