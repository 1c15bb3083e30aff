/**
 * @module store/memory/memory-liquidations — the liquidation store in memory: plain scans,
 * the reference the SQLite store's rollups must agree with.
 */
import type { Liquidation, Venue } from '../../streams/liquidations/liquidation.js';
import { ExactSum, parseCursor } from '../exact-sum.js';
import type { LiquidationBucket, LiquidationFilter, LiquidationPage, LiquidationStore, LiquidationTotals, StoredGap, SymbolTotals } from '../liquidations.js';

interface Row {
  seq: number;
  liquidation: Liquidation;
}

export class MemoryLiquidations implements LiquidationStore {
  private readonly rows: Row[] = [];
  private readonly ids = new Set<string>();
  private readonly gapList: StoredGap[] = [];
  private readonly alive = new Map<Venue, number>();
  private seq = 0;

  async record(rows: readonly Liquidation[]): Promise<Liquidation[]> {
    const added: Liquidation[] = [];
    for (const liquidation of rows) {
      if (this.ids.has(liquidation.id)) continue;
      this.ids.add(liquidation.id);
      this.rows.push({ seq: ++this.seq, liquidation });
      added.push(liquidation);
    }
    return added;
  }

  async list(query: LiquidationFilter & { minUsd?: number; before?: string; limit: number }): Promise<LiquidationPage> {
    const cursor = query.before === undefined ? null : parseCursor(query.before);
    const matching = this.matching(query)
      .filter((r) => query.minUsd === undefined || r.liquidation.notionalUsd >= query.minUsd)
      .filter((r) => cursor === null || r.liquidation.time < cursor.time || (r.liquidation.time === cursor.time && r.seq < cursor.seq))
      .sort((a, b) => b.liquidation.time - a.liquidation.time || b.seq - a.seq);
    const page = matching.slice(0, query.limit);
    const last = page[page.length - 1];
    return {
      liquidations: page.map((r) => r.liquidation),
      nextBefore: matching.length > query.limit && last !== undefined ? `${last.liquidation.time}:${last.seq}` : null,
    };
  }

  async totals(filter: LiquidationFilter): Promise<LiquidationTotals> {
    const total = new ExactSum();
    const long = new ExactSum();
    const short = new ExactSum();
    let longCount = 0;
    let largest: Row | null = null;
    const rows = this.matching(filter);
    for (const row of rows) {
      const l = row.liquidation;
      total.add(l.notionalUsd);
      if (l.side === 'long') {
        long.add(l.notionalUsd);
        longCount++;
      } else {
        short.add(l.notionalUsd);
      }
      if (largest === null || l.notionalUsd > largest.liquidation.notionalUsd || (l.notionalUsd === largest.liquidation.notionalUsd && row.seq < largest.seq))
        largest = row;
    }
    return {
      totalUsd: total.value,
      count: rows.length,
      longUsd: long.value,
      longCount,
      shortUsd: short.value,
      shortCount: rows.length - longCount,
      largest: largest?.liquidation ?? null,
    };
  }

  async series(filter: LiquidationFilter, intervalMs: number): Promise<LiquidationBucket[]> {
    const first = Math.floor(filter.since / intervalMs) * intervalMs;
    const last = Math.floor(filter.until / intervalMs) * intervalMs;
    const buckets = new Map<number, { total: ExactSum; long: ExactSum; short: ExactSum; count: number; largest: number }>();
    for (let start = first; start <= last; start += intervalMs)
      buckets.set(start, { total: new ExactSum(), long: new ExactSum(), short: new ExactSum(), count: 0, largest: 0 });
    for (const { liquidation: l } of this.matching(filter)) {
      const bucket = buckets.get(Math.floor(l.time / intervalMs) * intervalMs)!;
      bucket.total.add(l.notionalUsd);
      (l.side === 'long' ? bucket.long : bucket.short).add(l.notionalUsd);
      bucket.count++;
      bucket.largest = Math.max(bucket.largest, l.notionalUsd);
    }
    return [...buckets].map(([start, b]) => ({
      start,
      totalUsd: b.total.value,
      longUsd: b.long.value,
      shortUsd: b.short.value,
      count: b.count,
      largestUsd: b.largest,
    }));
  }

  async largest(filter: LiquidationFilter, limit: number): Promise<Liquidation[]> {
    return this.matching(filter)
      .sort((a, b) => b.liquidation.notionalUsd - a.liquidation.notionalUsd || a.seq - b.seq)
      .slice(0, limit)
      .map((r) => r.liquidation);
  }

  async leaders(filter: LiquidationFilter, limit: number): Promise<SymbolTotals[]> {
    const bySymbol = new Map<string, { total: ExactSum; long: ExactSum; short: ExactSum; count: number; largest: number }>();
    for (const { liquidation: l } of this.matching(filter)) {
      let entry = bySymbol.get(l.symbol);
      if (entry === undefined) bySymbol.set(l.symbol, (entry = { total: new ExactSum(), long: new ExactSum(), short: new ExactSum(), count: 0, largest: 0 }));
      entry.total.add(l.notionalUsd);
      (l.side === 'long' ? entry.long : entry.short).add(l.notionalUsd);
      entry.count++;
      entry.largest = Math.max(entry.largest, l.notionalUsd);
    }
    return [...bySymbol]
      .map(([symbol, e]) => ({ symbol, totalUsd: e.total.value, longUsd: e.long.value, shortUsd: e.short.value, count: e.count, largestUsd: e.largest }))
      .sort((a, b) => b.totalUsd - a.totalUsd || a.symbol.localeCompare(b.symbol))
      .slice(0, limit);
  }

  async recordGap(gap: StoredGap): Promise<void> {
    if (gap.end > gap.start) this.gapList.push({ ...gap });
  }

  async gaps(since: number, until: number, venue?: Venue): Promise<StoredGap[]> {
    return this.gapList
      .filter((g) => g.end >= since && g.start <= until && (venue === undefined || g.venue === venue))
      .sort((a, b) => a.start - b.start || a.venue.localeCompare(b.venue));
  }

  async markAlive(venue: Venue, at: number): Promise<void> {
    this.alive.set(venue, Math.max(at, this.alive.get(venue) ?? at));
  }

  async lastAlive(venue: Venue): Promise<number | null> {
    return this.alive.get(venue) ?? null;
  }

  async prune(before: number): Promise<number> {
    const cut = Math.floor(before / 3_600_000) * 3_600_000;
    const kept = this.rows.filter((r) => r.liquidation.time >= cut);
    const removed = this.rows.length - kept.length;
    for (const r of this.rows) if (r.liquidation.time < cut) this.ids.delete(r.liquidation.id);
    this.rows.length = 0;
    this.rows.push(...kept);
    const gaps = this.gapList.filter((g) => g.end >= cut);
    this.gapList.length = 0;
    this.gapList.push(...gaps);
    return removed;
  }

  private matching(filter: LiquidationFilter): Row[] {
    return this.rows.filter((r) => {
      const l = r.liquidation;
      return (
        l.time >= filter.since &&
        l.time <= filter.until &&
        (filter.venue === undefined || l.venue === filter.venue) &&
        (filter.symbol === undefined || l.symbol === filter.symbol) &&
        (filter.side === undefined || l.side === filter.side)
      );
    });
  }
}
