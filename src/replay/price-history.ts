/**
 * @module replay/price-history — the past's prices from klines: the close of the last candle
 * closed at or before a time, fetched once (paged, within the weight budget) and cached.
 */
import { fetchKlines, KLINES_MAX_LIMIT, type AsterClient } from '../exchange/index.js';
import type { KlineCache } from '../store/index.js';

/** One symbol's candles in time order, as parallel arrays for a binary search. */
interface Series {
  closeTimes: ArrayLike<number>;
  closes: ArrayLike<number>;
}

export interface HistoryStats {
  /** Kline requests sent (0 when everything came from the cache). */
  requests: number;
}

export class PriceHistory {
  private readonly series = new Map<string, Series>();
  readonly stats: HistoryStats = { requests: 0 };

  constructor(
    private readonly client: AsterClient,
    private readonly cache: KlineCache,
    /** The candle interval used ('1m', '5m', …) and its length in ms. */
    readonly interval: { name: string; ms: number },
    /** The last moment a candle may close and still be cached (older candles never change). */
    private readonly settledBefore: number,
    private readonly onProgress: (symbol: string, done: number, total: number) => void = () => {},
  ) {}

  /** Loads `symbol`'s candles opening in [from, to], fetching what the cache lacks. */
  async load(symbol: string, from: number, to: number): Promise<void> {
    const step = this.interval.ms;
    const start = Math.floor(from / step) * step;
    const end = Math.floor(to / step) * step;
    const settledEnd = Math.min(end, Math.floor((this.settledBefore - step) / step) * step);
    const missing = await this.cache.missing(symbol, this.interval.name, start, settledEnd);
    const total = missing.reduce((n, [a, b]) => n + Math.ceil((b - a + step) / (step * KLINES_MAX_LIMIT)), 0);
    let done = 0;
    for (const [gapStart, gapEnd] of missing) {
      for (let pageStart = gapStart; pageStart <= gapEnd; pageStart += step * KLINES_MAX_LIMIT) {
        const pageEnd = Math.min(gapEnd, pageStart + step * (KLINES_MAX_LIMIT - 1));
        const candles = await fetchKlines(this.client, { symbol, interval: this.interval.name, startTime: pageStart, endTime: pageEnd });
        this.stats.requests++;
        // The span covers every open time up to the next candle's: no sliver of it looks missing.
        await this.cache.put(
          symbol,
          this.interval.name,
          pageStart,
          pageEnd + step - 1,
          candles.filter((c) => c.openTime >= pageStart && c.openTime <= pageEnd),
        );
        this.onProgress(symbol, ++done, total);
      }
    }
    const cached = await this.cache.series(symbol, this.interval.name, start, settledEnd);
    // The unsettled tail (the candle still open now) is read, never cached.
    const tail =
      settledEnd < end
        ? (await fetchKlines(this.client, { symbol, interval: this.interval.name, startTime: settledEnd + step, endTime: end })).filter(
            (c) => c.closeTime < this.settledBefore,
          )
        : [];
    if (settledEnd < end) this.stats.requests++;
    const series =
      tail.length === 0
        ? cached
        : {
            closeTimes: Float64Array.from([...cached.closeTimes, ...tail.map((c) => c.closeTime)]),
            closes: Float64Array.from([...cached.closes, ...tail.map((c) => c.close)]),
          };
    this.series.set(symbol, series);
  }

  /** The close of the last candle of `symbol` closed at or before `at`, or undefined. */
  closeAt(symbol: string, at: number): number | undefined {
    const s = this.series.get(symbol);
    if (s === undefined) return undefined;
    let lo = 0;
    let hi = s.closeTimes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (s.closeTimes[mid]! <= at) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    // A candle closed long before (a gap in trading, a delisting) is not "the price now".
    if (found < 0 || at - s.closeTimes[found]! > this.interval.ms + 60_000) return undefined;
    return s.closes[found];
  }
}
