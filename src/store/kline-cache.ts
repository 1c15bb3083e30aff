/**
 * @module store/kline-cache — candles a replay fetched, kept so that replaying the same range
 * again makes no request.
 *
 * A cache, not state: in the state database (or a file of its own, `--cache`) in tables of its
 * own, created when first used; deleting them loses nothing but requests. Each fetched span is
 * recorded with its candles, so a span with no candle (before a symbol was listed) is known to
 * be empty rather than fetched again.
 */

/** One cached candle (ms; the closing price). */
export interface CachedKline {
  openTime: number;
  close: number;
  closeTime: number;
}

/** Candles as parallel arrays, oldest first. */
export interface KlineSeries {
  closeTimes: Float64Array;
  closes: Float64Array;
}

/** The series of candles given as objects. */
export function seriesOf(candles: readonly CachedKline[]): KlineSeries {
  return { closeTimes: Float64Array.from(candles, (c) => c.closeTime), closes: Float64Array.from(candles, (c) => c.close) };
}

export interface KlineCache {
  /** The parts of [from, to] (candle open times, ms) not yet fetched for (symbol, interval). */
  missing(symbol: string, interval: string, from: number, to: number): Promise<Array<[number, number]>>;
  /** Records that [from, to] was fetched, with the candles it held. */
  put(symbol: string, interval: string, from: number, to: number, candles: readonly CachedKline[]): Promise<void>;
  /**
   * Cached candles of (symbol, interval) opening in [from, to], oldest first, as close times and
   * closes in two arrays: no object per candle (a year of minutes is 525,600).
   */
  series(symbol: string, interval: string, from: number, to: number): Promise<KlineSeries>;
  close(): Promise<void>;
}

/** The parts of [from, to] that no span covers (spans are [start, end], inclusive). */
export function uncovered(from: number, to: number, spans: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  const gaps: Array<[number, number]> = [];
  let cursor = from;
  for (const [start, end] of sorted) {
    if (end < cursor) continue;
    if (start > to) break;
    if (start > cursor) gaps.push([cursor, Math.min(to, start - 1)]);
    cursor = Math.max(cursor, end + 1);
    if (cursor > to) break;
  }
  if (cursor <= to) gaps.push([cursor, to]);
  return gaps;
}
