/**
 * What every identifier validator returns: the normalised value, or a GOV.UK-style error message
 * naming the problem (ready to show next to the field and in the error summary).
 */
export type ValidationResult<T = string> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

export function valid<T>(value: T): ValidationResult<T> {
  return { ok: true, value };
}

export function invalid<T = string>(reason: string): ValidationResult<T> {
  return { ok: false, reason };
}

/** A source of random numbers in [0, 1), like Math.random (pass a seeded one for repeatable data). */
export type Rng = () => number;

/** A whole number from 0 to `below - 1` drawn from `rng`. Throws if `rng` breaks its contract. */
export function randomInt(rng: Rng, below: number): number {
  const r = rng();
  if (!(r >= 0 && r < 1))
    throw new RangeError(`A random number generator must return a number in [0, 1), not ${r}`);
  return Math.floor(r * below);
}
