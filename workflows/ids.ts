/**
 * Payment ids are derived from the business key `(merchant, pos_id, pos_tid)`, so a POS retry can
 * never create a second payment and an operator can find a payment from the till's own numbers.
 * The separator `:` is outside the id alphabet `[a-zA-Z0-9_.-]`, so the mapping is reversible.
 */
export const ID_PATTERN = /^[a-zA-Z0-9_.-]{1,64}$/;

export function paymentId(merchantId: string, posId: string, posTid: string): string {
  return `pay:${merchantId}:${posId}:${posTid}`;
}

export function parsePaymentId(id: string): { merchantId: string; posId: string; posTid: string } | null {
  const parts = id.split(':');
  if (parts.length !== 4 || parts[0] !== 'pay') return null;
  const [, merchantId, posId, posTid] = parts as [string, string, string, string];
  if (![merchantId, posId, posTid].every((part) => ID_PATTERN.test(part))) return null;
  return { merchantId, posId, posTid };
}
