/**
 * The liquidation part of the store contract: every implementation records, dedupes and
 * answers totals, series, leaders and pages exactly as a plain computation over the rows
 * does (to the cent), with and without its rollups.
 */
import { describe, expect, it } from 'vitest';
import { storeImplementations } from './implementations.js';
import { generate, matching, reference, type Filter } from '../support/liquidations.js';

const IMPLEMENTATIONS = storeImplementations('aw-liq-');

const T0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const HOUR = 3_600_000;
const ROWS = generate(3000, T0, T0 + 30 * HOUR, 7);

const cents = (value: number) => Math.round(value * 100);

const FILTERS: Array<[string, Filter]> = [
  ['everything', { since: T0, until: T0 + 30 * HOUR }],
  ['a ragged range (rollups plus rows)', { since: T0 + 37_123, until: T0 + 26 * HOUR + 1_234_567 }],
  ['inside one minute', { since: T0 + 5 * HOUR + 10_000, until: T0 + 5 * HOUR + 50_000 }],
  ['one venue and side', { since: T0 + 1000, until: T0 + 20 * HOUR, venue: 'binance', side: 'short' }],
  ['one symbol', { since: T0 + 999, until: T0 + 29 * HOUR, symbol: 'ETHUSDT' }],
  ['nothing', { since: T0 - 10 * HOUR, until: T0 - 1 }],
];

describe.each(IMPLEMENTATIONS)('the %s store’s liquidations', (_name, open) => {
  it('records each liquidation once, even when it arrives twice or twice in one batch', async () => {
    const store = open();
    const first = await store.liquidations.record(ROWS.slice(0, 10));
    expect(first).toHaveLength(10);
    const again = await store.liquidations.record([...ROWS.slice(5, 12), ROWS[11]!]);
    expect(again.map((l) => l.id)).toEqual([ROWS[10]!.id, ROWS[11]!.id]);
    expect((await store.liquidations.totals({ since: T0, until: T0 + 30 * HOUR })).count).toBe(12);
  });

  it.each(FILTERS)('totals %s exactly as the rows sum, with the largest liquidation', async (_label, filter) => {
    const store = open();
    await store.liquidations.record(ROWS);
    const got = await store.liquidations.totals(filter);
    const want = reference(matching(ROWS, filter));
    expect({
      total: cents(got.totalUsd),
      long: cents(got.longUsd),
      short: cents(got.shortUsd),
      count: got.count,
      longCount: got.longCount,
      shortCount: got.shortCount,
    }).toEqual({
      total: cents(want.total),
      long: cents(want.long),
      short: cents(want.short),
      count: want.count,
      longCount: want.longCount,
      shortCount: want.shortCount,
    });
    expect(got.largest?.notionalUsd ?? 0).toBe(want.largest);
  });

  it.each([
    ['1 minute', 60_000],
    ['5 minutes', 300_000],
    ['90 seconds (not whole minutes)', 90_000],
    ['1 hour', HOUR],
    ['1 day', 24 * HOUR],
  ])('gives every bucket of %s, aligned to the epoch, empty ones included', async (_label, interval) => {
    const store = open();
    await store.liquidations.record(ROWS);
    for (const [, filter] of FILTERS.slice(0, 5)) {
      const buckets = await store.liquidations.series(filter, interval);
      const first = Math.floor(filter.since / interval) * interval;
      const last = Math.floor(filter.until / interval) * interval;
      expect(buckets.map((b) => b.start)).toEqual(Array.from({ length: (last - first) / interval + 1 }, (_, i) => first + i * interval));
      for (const bucket of buckets) {
        const rows = matching(ROWS, filter).filter((l) => Math.floor(l.time / interval) * interval === bucket.start);
        const want = reference(rows);
        expect([cents(bucket.totalUsd), cents(bucket.longUsd), cents(bucket.shortUsd), bucket.count, bucket.largestUsd]).toEqual([
          cents(want.total),
          cents(want.long),
          cents(want.short),
          want.count,
          want.largest,
        ]);
      }
    }
  });

  it('ranks the leading symbols by total, for any range', async () => {
    const store = open();
    await store.liquidations.record(ROWS);
    for (const [, filter] of FILTERS) {
      const got = await store.liquidations.leaders(filter, 3);
      const bySymbol = new Map<string, ReturnType<typeof reference>>();
      for (const symbol of new Set(ROWS.map((r) => r.symbol)))
        bySymbol.set(symbol, reference(matching(ROWS, { ...filter, symbol: filter.symbol ?? symbol }).filter((r) => r.symbol === symbol)));
      const want = [...bySymbol]
        .filter(([, r]) => r.count > 0)
        .sort((a, b) => b[1].total - a[1].total)
        .slice(0, 3);
      expect(got.map((s) => [s.symbol, cents(s.totalUsd), cents(s.longUsd), cents(s.shortUsd), s.count, s.largestUsd])).toEqual(
        want.map(([symbol, r]) => [symbol, cents(r.total), cents(r.long), cents(r.short), r.count, r.largest]),
      );
    }
  });

  it('gives the biggest liquidations of any range, biggest first, even when several share a minute', async () => {
    const store = open();
    // Three whales in one minute and a fourth alone: the second and third of the crowded minute
    // are bigger than every other minute's largest.
    const at = T0 + 7 * HOUR + 5_000;
    const whale = (i: number, usd: number, time: number) => ({
      ...ROWS[i]!,
      id: `whale-${i}`,
      price: usd,
      priceText: String(usd),
      quantity: 1,
      notionalUsd: usd,
      time,
    });
    const whales = [whale(0, 9e9, at), whale(1, 8e9, at + 1000), whale(2, 7e9, at + 2000), whale(3, 6e9, T0 + 9 * HOUR)];
    await store.liquidations.record([...ROWS, ...whales]);
    const all = [...ROWS, ...whales];
    const order = new Map(all.map((l, i) => [l.id, i]));
    for (const [, filter] of FILTERS) {
      for (const limit of [1, 3, 10]) {
        const want = matching(all, filter)
          .sort((a, b) => b.notionalUsd - a.notionalUsd || order.get(a.id)! - order.get(b.id)!)
          .slice(0, limit)
          .map((l) => l.id);
        expect((await store.liquidations.largest(filter, limit)).map((l) => l.id)).toEqual(want);
      }
    }
    expect((await store.liquidations.largest({ since: T0, until: T0 + 30 * HOUR }, 3)).map((l) => l.notionalUsd)).toEqual([9e9, 8e9, 7e9]);
  });

  it('pages newest first with a cursor that neither skips nor repeats, with min_usd and filters', async () => {
    const store = open();
    await store.liquidations.record(ROWS);
    const filter = { since: T0 + HOUR, until: T0 + 10 * HOUR, venue: 'aster' as const, minUsd: 20_000 };
    const seen: string[] = [];
    let before: string | undefined;
    for (let page = 0; page < 100; page++) {
      const result = await store.liquidations.list({ ...filter, limit: 37, ...(before === undefined ? {} : { before }) });
      seen.push(...result.liquidations.map((l) => l.id));
      if (result.nextBefore === null) break;
      before = result.nextBefore;
    }
    const want = matching(ROWS, filter)
      .filter((l) => l.notionalUsd >= filter.minUsd)
      .sort((a, b) => b.time - a.time);
    expect(seen).toHaveLength(want.length);
    expect(new Set(seen).size).toBe(want.length);
    expect(seen.map((id) => ROWS.find((r) => r.id === id)!.time)).toEqual(want.map((l) => l.time));
  });

  it('keeps gaps, answers those overlapping a range, and the last sign of life of each venue', async () => {
    const store = open();
    await store.liquidations.recordGap({ venue: 'aster', start: T0, end: T0 + 1000 });
    await store.liquidations.recordGap({ venue: 'binance', start: T0 + 5000, end: T0 + 9000 });
    await store.liquidations.recordGap({ venue: 'aster', start: T0 + 20_000, end: T0 + 20_000 }); // empty: not a gap
    expect(await store.liquidations.gaps(T0 + 500, T0 + 6000)).toEqual([
      { venue: 'aster', start: T0, end: T0 + 1000 },
      { venue: 'binance', start: T0 + 5000, end: T0 + 9000 },
    ]);
    expect(await store.liquidations.gaps(T0 + 1001, T0 + 4999)).toEqual([]);
    expect(await store.liquidations.gaps(T0, T0 + 10_000, 'binance')).toHaveLength(1);
    expect(await store.liquidations.lastAlive('aster')).toBeNull();
    await store.liquidations.markAlive('aster', T0 + 10);
    await store.liquidations.markAlive('aster', T0 + 5); // never goes back
    expect(await store.liquidations.lastAlive('aster')).toBe(T0 + 10);
  });

  it('prunes liquidations and gaps before the cut (at the hour), and its totals agree afterwards', async () => {
    const store = open();
    await store.liquidations.record(ROWS);
    await store.liquidations.recordGap({ venue: 'aster', start: T0, end: T0 + 1000 });
    const before = T0 + 10 * HOUR + 1234;
    const cut = T0 + 10 * HOUR;
    const removed = await store.liquidations.prune(before);
    expect(removed).toBe(ROWS.filter((r) => r.time < cut).length);
    const all = { since: T0, until: T0 + 30 * HOUR };
    const got = await store.liquidations.totals(all);
    const want = reference(ROWS.filter((r) => r.time >= cut));
    expect([cents(got.totalUsd), got.count]).toEqual([cents(want.total), want.count]);
    expect(await store.liquidations.gaps(T0, T0 + HOUR)).toEqual([]);
  });
});
