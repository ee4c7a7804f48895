/**
 * Money is integer cents inside the sandbox; Paysera's answers carry both `price` (cents) and
 * `price_decimal` (paysera.md §1). Every Paysera currency used here has two decimals.
 */
const DECIMAL = /^(\d+)(?:\.(\d{1,2}))?$/;

/** "12.3" → 1230; null when it is not a non-negative decimal with up to two decimals. */
export function centsOf(decimal: string): number | null {
  const match = DECIMAL.exec(decimal);
  if (!match) return null;
  const [, units = '0', fraction = ''] = match;
  return Number(units) * 100 + Number(fraction.padEnd(2, '0'));
}

/** 1230 → "12.30". */
export function decimalOf(cents: number): string {
  return `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
}
