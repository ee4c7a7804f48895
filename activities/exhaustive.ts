/**
 * The default branch of a switch over a closed type (a provider's parsed wire status): `value` is
 * `never` when every case is handled, so a status added to the type without a case fails to compile.
 * Should a value the type rules out still arrive at run time, it fails loudly instead of falling through.
 */
export function unreachable(value: never, what: string): never {
  throw new Error(`${what} ${JSON.stringify(value)} is outside its parsed type`);
}
