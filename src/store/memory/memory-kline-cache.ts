/**
 * @module store/memory/memory-kline-cache — the kline cache in memory (tests, and `--cache :memory:`).
 */
import { seriesOf, uncovered, type CachedKline, type KlineCache, type KlineSeries } from '../kline-cache.js';

export class MemoryKlineCache implements KlineCache {
  private readonly rows = new Map<string, Map<number, CachedKline>>();
  private readonly spans = new Map<string, Array<[number, number]>>();

  async missing(symbol: string, interval: string, from: number, to: number): Promise<Array<[number, number]>> {
    return uncovered(from, to, this.spans.get(`${symbol}|${interval}`) ?? []);
  }

  async put(symbol: string, interval: string, from: number, to: number, candles: readonly CachedKline[]): Promise<void> {
    const key = `${symbol}|${interval}`;
    const rows = this.rows.get(key) ?? new Map<number, CachedKline>();
    this.rows.set(key, rows);
    for (const c of candles) rows.set(c.openTime, { ...c });
    this.spans.set(key, [...(this.spans.get(key) ?? []), [from, to]]);
  }

  private candles(symbol: string, interval: string, from: number, to: number): CachedKline[] {
    return [...(this.rows.get(`${symbol}|${interval}`)?.values() ?? [])]
      .filter((c) => c.openTime >= from && c.openTime <= to)
      .sort((a, b) => a.openTime - b.openTime);
  }

  async series(symbol: string, interval: string, from: number, to: number): Promise<KlineSeries> {
    return seriesOf(this.candles(symbol, interval, from, to));
  }

  async close(): Promise<void> {}
}
