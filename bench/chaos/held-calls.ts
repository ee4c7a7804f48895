/**
 * Which provider request a targeted kill holds in flight, per moment and provider, as the sandbox's
 * fault matcher names it. Calls on one payment's own object (its Settle tid, Tabby payment, Paysera
 * spot or transaction) match that payment only; creates at Settle and Tabby and every SEQR operation
 * (SOAP: one path for all) match the next such call of any payment, which is just as good a moment.
 */
import type { PaymentResource } from '../../workflows/payment';
import type { Moment, ProviderName } from './settings';
import type { RequestMatch } from './sandbox-control';

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function reference(payment: PaymentResource | null, key: string): string {
  const value = payment?.provider_reference[key];
  if (value === undefined) throw new Error(`the payment shows no ${key} to hold a call on`);
  return escape(value);
}

/** `payment` is the payment as the till sees it just before the call is triggered (null before its create). */
export function heldCall(moment: Moment, provider: ProviderName, payment: PaymentResource | null): RequestMatch {
  switch (`${moment}:${provider}`) {
    case 'create:settle':
      return { method: 'POST', path_pattern: '^/merchant/v1/payment_request/$' };
    case 'create:tabby':
      return { method: 'POST', path_pattern: '^/api/v2/checkout$' };
    case 'create:seqr':
      return { operation: 'sendInvoice' };
    case 'create:paysera':
      return { method: 'POST', path_pattern: `^/rest/v1/spot/${reference(payment, 'spot_id')}/order$` };
    // Settle's capture and refund are both a PUT on the payment request: the next one is the one triggered.
    case 'capture:settle':
    case 'refund:settle':
      return { method: 'PUT', path_pattern: `^/merchant/v1/payment_request/${reference(payment, 'tid')}/$` };
    case 'capture:tabby':
      return { method: 'POST', path_pattern: `^/api/v2/payments/${reference(payment, 'payment_id')}/captures$` };
    case 'refund:tabby':
      return { method: 'POST', path_pattern: `^/api/v2/payments/${reference(payment, 'payment_id')}/refunds$` };
    case 'refund:seqr':
      return { operation: 'refundPayment' };
    case 'capture:paysera':
      return { method: 'PUT', path_pattern: `^/rest/v1/transaction/${reference(payment, 'transaction_key')}/confirm$` };
    case 'refund:paysera':
      return { method: 'DELETE', path_pattern: `^/rest/v1/payment/(${reference(payment, 'payment_ids').split(',').join('|')})$` };
    default:
      throw new Error(`no ${moment} call at ${provider} to hold`);
  }
}

/** Whether the held call is surely the triggering payment's own (else the next such call of any payment is held). */
export function heldCallIsOwn(moment: Moment, provider: ProviderName): boolean {
  return provider !== 'seqr' && !(moment === 'create' && provider !== 'paysera');
}

/** Whether the call is triggered by the till's create (before any payment exists) or by the customer arriving. */
export function createTriggeredBy(provider: ProviderName): 'pos' | 'customer' {
  // Settle creates its payment request on the scan; Paysera puts the order on the spot after the check-in.
  return provider === 'settle' || provider === 'paysera' ? 'customer' : 'pos';
}
