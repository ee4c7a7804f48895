/**
 * Money is an integer in minor units everywhere inside the service. These helpers are the only place
 * that knows a currency's exponent, so provider adapters convert at their edge and nowhere else.
 */

/** ISO-4217 minor-unit exponents for the currencies our providers accept. */
const EXPONENTS: Readonly<Record<string, number>> = {
  AED: 2, SAR: 2, KWD: 3, BHD: 3, QAR: 2, EGP: 2,
  EUR: 2, NOK: 2, SEK: 2, DKK: 2, GBP: 2, USD: 2, PLN: 2, CHF: 2, ISK: 0,
};

export function isKnownCurrency(currency: string): boolean {
  return Object.hasOwn(EXPONENTS, currency);
}

export function currencyExponent(currency: string): number {
  const exponent = EXPONENTS[currency];
  if (exponent === undefined) throw new Error(`unknown currency ${currency}`);
  return exponent;
}

/** 2000 EUR → "20.00"; 1234 KWD → "1.234". Exact: works on the integer's digits, never on floats. */
export function formatMinorUnits(amount: number, currency: string): string {
  if (!Number.isSafeInteger(amount)) throw new Error(`amount must be an integer in minor units, got ${amount}`);
  const exponent = currencyExponent(currency);
  const sign = amount < 0 ? '-' : '';
  const digits = Math.abs(amount).toString().padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** "20.00" EUR → 2000. Rejects more decimals than the currency has instead of rounding money. */
export function parseMajorUnits(value: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value);
  if (!match) throw new Error(`not a decimal amount: ${value}`);
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent) throw new Error(`${value} has more than ${exponent} decimals for ${currency}`);
  const minor = Number(`${whole}${fraction.padEnd(exponent, '0')}`);
  if (!Number.isSafeInteger(minor)) throw new Error(`amount out of range: ${value}`);
  return sign === '-' ? -minor : minor;
}
