/**
 * @module condition/rounding — the 10-decimal rounding the spec applies before comparing.
 */

const SCALE = 1e10;
// Past 2^53 every double is an integer, so scaling gains nothing and only adds error.
const EXACT_LIMIT = 2 ** 53;

/** Rounds to 10 decimal places so that `= 5%` matches 100 -> 105 despite floating-point noise. */
export function roundTo10(x: number): number {
  const scaled = x * SCALE;
  if (scaled >= EXACT_LIMIT || scaled <= -EXACT_LIMIT) return x;
  // `+ 0` turns -0 (a tiny negative rounded away) into 0, so it never prints as "-0".
  return Math.round(scaled) / SCALE + 0;
}
