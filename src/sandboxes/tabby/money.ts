/**
 * Tabby's money: decimal strings on the wire (tabby.md §1: up to 2 decimals for AED and SAR, 3 for
 * KWD), integers in minor units inside the sandbox so sums and comparisons are exact. The digit
 * work is the sandboxes' own decimal arithmetic; this adds the rules of Tabby's wire format.
 */
import { decimalToMinor, minorToDecimal } from '../shared/decimal-money';

export const CURRENCIES = ['AED', 'SAR', 'KWD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Plain non-negative decimals only: no sign, exponent, spaces or trailing dot. */
const DECIMAL = /^\d+(?:\.\d+)?$/;

/** "1.234" KWD → 1234; null when it is not a plain decimal or has more decimals than the currency. */
export function toMinorUnits(amount: string, currency: Currency): number | null {
  if (!DECIMAL.test(amount)) return null;
  return decimalToMinor(amount, currency);
}

/** 1234 KWD → "1.234"; 10000 AED → "100.00". */
export function toMajorUnits(minor: number, currency: Currency): string {
  return minorToDecimal(minor, currency);
}
