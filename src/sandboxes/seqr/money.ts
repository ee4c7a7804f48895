/**
 * SEQR's money: xs:decimal strings (`#.##`) on the wire, integers in minor units inside the
 * sandbox so sums and comparisons are exact. The sandboxes' own decimal arithmetic does the digits.
 */
import { decimalToMinor, minorToDecimal } from '../shared/decimal-money';

/** "149.99" SEK → 14999; null when it is not a plain decimal or has more decimals than the currency. */
export function toMinorUnits(value: string, currency: string): number | null {
  return decimalToMinor(value.replace(/^\+/, ''), currency);
}

export function toDecimal(minor: number, currency: string): string {
  return minorToDecimal(minor, currency);
}
