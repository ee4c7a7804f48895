/**
 * Each provider as the workflow sees it: how the charge comes to exist and which traits it has,
 * without any of its wire. A test run over all of them proves a rule holds "for every provider".
 */
import type { FakePaymentOptions } from './fake-provider';

export const PROVIDER_PROFILES: Record<string, FakePaymentOptions> = {
  // Dynamic QR: the scan's webhook carries the customer's token, the payment request follows.
  settle: { setup: 'token' },
  // The checkout session is the charge, created with the QR.
  tabby: { setup: 'charge' },
  // The invoice is the charge; the customer pays in windows, and a seen payment gets a receipt.
  seqr: { setup: 'charge', traits: { customer_window_ms: 30_000, confirms_capture: true } },
  // A check-in at the spot is found by polling; the spot is closed when the payment is over.
  paysera: { setup: 'poll-customer', traits: { polls_for_customer: true, refunds_partially: false, finishes_at_provider: true } },
};
