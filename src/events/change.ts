/**
 * @module events/change — the change between two values, with "unknown" kept as null.
 */
import { roundPercent } from './format.js';

export interface Change {
  /** current − previous; null when previous is unknown. */
  amount: number | null;
  /** Percent change rounded to 4 decimals; null when previous is unknown or 0. */
  percent: number | null;
}

/** Computes the change, never producing NaN or Infinity. */
export function changeBetween(current: number, previous: number | null): Change {
  if (previous === null || !Number.isFinite(previous)) return { amount: null, percent: null };
  const amount = current - previous;
  const percent = previous === 0 ? null : roundPercent((amount * 100) / previous);
  return { amount: Number.isFinite(amount) ? amount : null, percent: percent !== null && Number.isFinite(percent) ? percent : null };
}
