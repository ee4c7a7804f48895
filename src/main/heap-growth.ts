/**
 * Bounds how far the worker's heap grows between full garbage collections.
 *
 * Waiting customers make garbage at a steady rate: every poll read is a signed request, a response
 * and its parse, and under load many of them are still in flight at a young-generation collection,
 * so they are promoted and stay until the next full one. V8 lets the old generation grow to up to
 * four times what the last full collection kept before it collects again; at 2,000 customers
 * waiting that was 250 → 600 MB of heap and a worker at 950–1,060 MB of RSS. Growth capped at 100 %
 * kept it at about 700 MB for a few per cent more of the worker's CPU (README, "Numbers").
 *
 * Set at run time because the flag is one Node does not take from NODE_OPTIONS and the worker is
 * started in many ways (npm, compose, tests, bench); V8 reads it at every collection, so it holds
 * from here on, for the workflow thread the SDK starts later too.
 */
import { setFlagsFromString } from 'node:v8';

export function limitHeapGrowth(percent: number, setFlags: (flags: string) => void = setFlagsFromString): void {
  if (percent > 0) setFlags(`--heap-growing-percent=${percent}`);
}
