/**
 * @module store/readings — values the service read, kept to serve as a later baseline.
 *
 * A futures account has no 24-hour history on the exchange (prices have klines, an
 * account's margin balance has none), so its 24 h baseline is the value the service
 * itself recorded closest to 24 hours ago (aster-accounts.md §4). Readings are keyed by
 * what was read (an account, never a monitor: monitors on one account share them) and
 * pruned after two days.
 */

export interface Reading {
  at: number;
  value: number;
}

export interface ReadingStore {
  /** Records `value` read for `key` at `at` (ms); a second reading at the same `at` replaces the first. */
  record(key: string, at: number, value: number): Promise<void>;
  /** The reading of `key` closest to `target` within `toleranceMs` either side (the earlier on a tie), or null. */
  nearest(key: string, target: number, toleranceMs: number): Promise<Reading | null>;
  /** Deletes readings taken before `before`; returns how many. */
  prune(before: number): Promise<number>;
}

/** Of two candidates around `target`, the closer (the earlier on a tie). */
export function closerReading(target: number, before: Reading | null, after: Reading | null): Reading | null {
  if (before === null) return after;
  if (after === null) return before;
  return target - before.at <= after.at - target ? before : after;
}
