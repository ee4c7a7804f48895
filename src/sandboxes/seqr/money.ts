/**
 * SEQR's money: xs:decimal strings (`#.##`) on the wire, integers in minor units inside the
 * sandbox so sums and comparisons are exact. The digit work is the service's own money module.
 */
import { formatMinorUnits, parseMajorUnits } from '../../../workflows/money';

/** "149.99" SEK → 14999; null when it is not a plain decimal or has more decimals than the currency. */
export function toMinorUnits(value: string, currency: string): number | null {
  try {
    return parseMajorUnits(value.replace(/^\+/, ''), currency);
  } catch {
    return null;
  }
}

export function toDecimal(minor: number, currency: string): string {
  return formatMinorUnits(minor, currency);
}
