/**
 * The replay's price history: pages of at most 1,500 candles, a 429 in the middle waited
 * out, the cache's spans (what is missing), and the close at a time.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AsterClient } from '../../src/exchange/index.js';
import { PriceHistory } from '../../src/replay/price-history.js';
import { klineIntervalFor } from '../../src/replay/replay.js';
import { parseTimeArg } from '../../src/replay/time-arg.js';
import { MemoryKlineCache } from '../../src/store/index.js';
import { uncovered } from '../../src/store/kline-cache.js';
import type { MonitorConfig } from '../../src/config/index.js';
import { FakeExchange } from '../helpers/fake-exchange.js';

const MIN = 60_000;
let exchange: FakeExchange;
let client: AsterClient;

beforeEach(async () => {
  exchange = await new FakeExchange().start();
  exchange.setPrice('BTCUSDT', 1);
  exchange.klineClose = (_symbol, openTime) => openTime / MIN; // the minute's number: easy to check
  client = new AsterClient({ baseUrl: exchange.url, maxRateLimitWaitMs: 5000 });
});

afterEach(async () => {
  client.close();
  await exchange.stop();
});

describe('price history', () => {
  it('pages by 1,500 candles, waits out a 429, caches, and answers the last close at or before a time', async () => {
    const cache = new MemoryKlineCache();
    const end = Math.floor((Date.now() - 10 * MIN) / MIN) * MIN;
    const start = end - 4000 * MIN;
    const history = new PriceHistory(client, cache, { name: '1m', ms: MIN }, Date.now());
    await history.load('BTCUSDT', start, end);
    const pages = exchange.requests.filter((r) => r.path === '/api/v1/klines');
    expect(pages).toHaveLength(3); // 4,001 candles: 1,500 + 1,500 + 1,001
    expect(pages.every((r) => Number(r.query.get('limit')) <= 1500)).toBe(true);
    // The close of the candle closed at or before a time: the one opening a minute before.
    expect(history.closeAt('BTCUSDT', start + 100 * MIN)).toBe(start / MIN + 99);
    expect(history.closeAt('BTCUSDT', start + 100 * MIN - 1)).toBe(start / MIN + 99); // that candle closed exactly then
    expect(history.closeAt('BTCUSDT', start + 100 * MIN - 2)).toBe(start / MIN + 98);
    expect(history.closeAt('BTCUSDT', start - 5 * MIN)).toBeUndefined();

    // Cached: a second history over the same cache sends nothing, even through a 429.
    const again = new PriceHistory(client, cache, { name: '1m', ms: MIN }, Date.now());
    await again.load('BTCUSDT', start, end);
    expect(exchange.count('/api/v1/klines')).toBe(3);
    expect(again.closeAt('BTCUSDT', end)).toBe(end / MIN - 1);
  });

  it('waits out a 429 in the middle of the pages', async () => {
    const end = Math.floor((Date.now() - 10 * MIN) / MIN) * MIN;
    const start = end - 3500 * MIN;
    exchange.faults.set('/api/v1/klines', []);
    const history = new PriceHistory(client, new MemoryKlineCache(), { name: '1m', ms: MIN }, Date.now());
    let served = 0;
    const original = exchange.klineClose!;
    exchange.klineClose = (symbol, openTime) => {
      served++;
      if (served === 1600)
        exchange.faults.set('/api/v1/klines', [{ status: 429, body: { code: -1003, msg: 'Too many requests' }, headers: { 'Retry-After': '1' } }]);
      return original(symbol, openTime);
    };
    await history.load('BTCUSDT', start, end);
    expect(history.closeAt('BTCUSDT', end)).toBe(end / MIN - 1);
    expect(exchange.requests.filter((r) => r.path === '/api/v1/klines').length).toBe(4); // 3 pages + the refused one
  });
});

describe('the kline cache’s spans', () => {
  it('says which parts of a range were never fetched', () => {
    expect(uncovered(0, 100, [])).toEqual([[0, 100]]);
    expect(
      uncovered(0, 100, [
        [10, 20],
        [15, 40],
        [60, 200],
      ]),
    ).toEqual([
      [0, 9],
      [41, 59],
    ]);
    expect(uncovered(0, 100, [[0, 100]])).toEqual([]);
  });
});

describe('choices', () => {
  const monitor = (intervalSeconds: number, schedule: string | null = null) => ({ intervalSeconds, schedule }) as MonitorConfig;

  it('uses the coarsest candle every check time falls on', () => {
    expect(klineIntervalFor([monitor(300)]).name).toBe('5m');
    expect(klineIntervalFor([monitor(3600), monitor(900)]).name).toBe('15m');
    expect(klineIntervalFor([monitor(86400)]).name).toBe('1d');
    expect(klineIntervalFor([monitor(90)]).name).toBe('1m');
    expect(klineIntervalFor([monitor(3600), monitor(300, '0 * * * *')]).name).toBe('1m');
  });

  it('reads times as ISO-8601, epoch ms, or how long ago', () => {
    const now = Date.UTC(2026, 10, 22, 12);
    expect(parseTimeArg('2026-11-01T00:00:00Z', now)).toBe(Date.UTC(2026, 10, 1));
    expect(parseTimeArg('1761955200000', now)).toBe(1761955200000);
    expect(parseTimeArg('7d', now)).toBe(now - 7 * 86_400_000);
    expect(parseTimeArg('24h', now)).toBe(now - 86_400_000);
    expect(parseTimeArg('now', now)).toBe(now);
    expect(parseTimeArg('yesterday', now)).toBeNull();
  });
});
