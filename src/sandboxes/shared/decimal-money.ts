/**
 * The sandboxes' own money arithmetic, kept apart from the service's so a sandbox can catch the
 * service getting an exponent or a rounding wrong. Providers put decimal strings on the wire
 * ("149.99" SEK, "1.234" KWD); a sandbox keeps integers in the currency's smallest unit.
 *
 * Digits of ISO 4217 minor units for the currencies some provider here accepts. Written out
 * from the standard, not taken from the service.
 */
const MINOR_DIGITS = new Map<string, number>([
  // Gulf and region (Tabby): the dinars have fils in thousandths.
  ['AED', 2], ['SAR', 2], ['QAR', 2], ['EGP', 2], ['KWD', 3], ['BHD', 3],
  // Europe (Settle, SEQR, Paysera).
  ['EUR', 2], ['SEK', 2], ['NOK', 2], ['DKK', 2], ['GBP', 2], ['CHF', 2], ['PLN', 2], ['ISK', 0],
  ['USD', 2],
]);

export function minorDigits(currency: string): number | undefined {
  return MINOR_DIGITS.get(currency);
}

/**
 * "149.99" SEK → 14999, "-1.5" EUR → -150. Null when the text is not `[-]digits[.digits]`, the
 * currency is unknown, there are more fraction digits than the currency has (never rounded), or
 * the result is not a safe integer.
 */
export function decimalToMinor(text: string, currency: string): number | null {
  const digits = MINOR_DIGITS.get(currency);
  if (digits === undefined) return null;
  const negative = text.startsWith('-');
  const unsigned = negative ? text.slice(1) : text;
  const parts = unsigned.split('.');
  if (parts.length > 2) return null;
  const [units = '', fraction = ''] = parts;
  if (!/^[0-9]+$/.test(units)) return null;
  if (parts.length === 2 && !/^[0-9]+$/.test(fraction)) return null;
  if (fraction.length > digits) return null;
  let minor = 0;
  for (const char of units + fraction + '0'.repeat(digits - fraction.length)) minor = minor * 10 + (char.charCodeAt(0) - 48);
  if (!Number.isSafeInteger(minor)) return null;
  return negative ? -minor : minor;
}

/** 14999 SEK → "149.99", 5 KWD → "0.005", 120 ISK → "120". Throws for an unknown currency or a non-integer. */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = MINOR_DIGITS.get(currency);
  if (digits === undefined) throw new Error(`no minor-unit digits known for ${currency}`);
  if (!Number.isSafeInteger(minor)) throw new Error(`not an integer amount of minor units: ${minor}`);
  const scale = 10 ** digits;
  const magnitude = Math.abs(minor);
  const units = Math.floor(magnitude / scale);
  const rest = magnitude % scale;
  const text = digits === 0 ? `${units}` : `${units}.${`${rest}`.padStart(digits, '0')}`;
  return minor < 0 ? `-${text}` : text;
}
