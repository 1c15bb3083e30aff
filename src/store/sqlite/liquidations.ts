/**
 * @module store/sqlite/liquidations — the liquidation feed in SQLite, with rollups.
 *
 * 10 days at 20 liquidations a second is 17 million rows; totals and series over such a
 * range read per-minute rollups (and per-hour, per-symbol ones for the leaders) for the
 * whole minutes (hours) of the range, and the rows themselves only for its ragged ends.
 * A question about one symbol reads that symbol's rows through their index. Every row is
 * counted in exactly one rollup row, so both ways give the same sums (SQLite's SUM() is
 * compensated, so they stay exact to the cent).
 */
import type Database from 'better-sqlite3';
import type { Liquidation, LiquidationSide, Venue } from '../../streams/liquidations/liquidation.js';
import { parseCursor } from '../exact-sum.js';
import type { LiquidationBucket, LiquidationFilter, LiquidationPage, LiquidationStore, LiquidationTotals, StoredGap, SymbolTotals } from '../liquidations.js';
import { BatchInsert } from './batch.js';
import type { Db } from './open.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

interface Sums {
  total: number;
  long: number;
  short: number;
  count: number;
  longCount: number;
  largest: number;
}

interface MinuteRollup {
  minute: number;
  venue: string;
  side: string;
  count: number;
  total: number;
  largest: number;
  largestSeq: number;
}

interface HourRollup {
  hour: number;
  symbol: string;
  venue: string;
  side: string;
  count: number;
  total: number;
  largest: number;
}

export class SqliteLiquidations implements LiquidationStore {
  private readonly insertRows: BatchInsert<Liquidation>;
  private readonly upsertMinutes: BatchInsert<MinuteRollup>;
  private readonly upsertHours: BatchInsert<HourRollup>;
  private readonly recordTransaction: (rows: readonly Liquidation[]) => Liquidation[];
  private readonly selectBySeq: Database.Statement<[number], LiquidationRow>;

  constructor(
    private readonly db: Db,
    /** After each recorded batch (the store checkpoints the log outside the feed's commits). */
    private readonly afterRecord: () => void = () => {},
  ) {
    this.insertRows = new BatchInsert(
      db,
      'INSERT INTO liquidations (id, venue, symbol, asset, side, price, price_text, quantity, notional, time)',
      10,
      'ON CONFLICT (id) DO NOTHING RETURNING seq, id',
      (l, out, at) => {
        out[at] = l.id;
        out[at + 1] = l.venue;
        out[at + 2] = l.symbol;
        out[at + 3] = l.asset;
        out[at + 4] = l.side;
        out[at + 5] = l.price;
        out[at + 6] = l.priceText;
        out[at + 7] = l.quantity;
        out[at + 8] = l.notionalUsd;
        out[at + 9] = l.time;
      },
    );
    this.upsertMinutes = new BatchInsert(
      db,
      'INSERT INTO liquidation_minutes (minute, venue, side, count, total, largest, largest_seq)',
      7,
      `ON CONFLICT (minute, venue, side) DO UPDATE SET count = count + excluded.count, total = total + excluded.total,
        largest_seq = CASE WHEN excluded.largest > largest THEN excluded.largest_seq ELSE largest_seq END, largest = MAX(largest, excluded.largest)`,
      (r, out, at) => {
        out[at] = r.minute;
        out[at + 1] = r.venue;
        out[at + 2] = r.side;
        out[at + 3] = r.count;
        out[at + 4] = r.total;
        out[at + 5] = r.largest;
        out[at + 6] = r.largestSeq;
      },
    );
    this.upsertHours = new BatchInsert(
      db,
      'INSERT INTO liquidation_symbol_hours (hour, symbol, venue, side, count, total, largest)',
      7,
      `ON CONFLICT (hour, symbol, venue, side) DO UPDATE SET count = count + excluded.count, total = total + excluded.total, largest = MAX(largest, excluded.largest)`,
      (r, out, at) => {
        out[at] = r.hour;
        out[at + 1] = r.symbol;
        out[at + 2] = r.venue;
        out[at + 3] = r.side;
        out[at + 4] = r.count;
        out[at + 5] = r.total;
        out[at + 6] = r.largest;
      },
    );
    this.selectBySeq = db.prepare(`SELECT ${COLUMNS} FROM liquidations WHERE seq = ?`);
    this.recordTransaction = db.transaction((rows: readonly Liquidation[]) => this.recordNow(rows));
  }

  async record(rows: readonly Liquidation[]): Promise<Liquidation[]> {
    if (rows.length === 0) return [];
    const recorded = this.recordTransaction(rows);
    this.afterRecord();
    return recorded;
  }

  async list(query: LiquidationFilter & { minUsd?: number; before?: string; limit: number }): Promise<LiquidationPage> {
    const { where, params } = rowFilter(query);
    if (query.minUsd !== undefined) {
      where.push('notional >= ?');
      params.push(query.minUsd);
    }
    const cursor = query.before === undefined ? null : parseCursor(query.before);
    if (cursor !== null) {
      where.push('(time < ? OR (time = ? AND seq < ?))');
      params.push(cursor.time, cursor.time, cursor.seq);
    }
    const rows = this.db
      .prepare(`SELECT ${COLUMNS} FROM liquidations WHERE ${where.join(' AND ')} ORDER BY time DESC, seq DESC LIMIT ?`)
      .all(...params, query.limit + 1) as LiquidationRow[];
    const page = rows.slice(0, query.limit);
    const last = page[page.length - 1];
    return { liquidations: page.map(toLiquidation), nextBefore: rows.length > query.limit && last !== undefined ? `${last.time}:${last.seq}` : null };
  }

  async totals(filter: LiquidationFilter): Promise<LiquidationTotals> {
    const parts = this.split(filter, MINUTE);
    const sums: Sums[] = [];
    const largest: Array<{ notional: number; seq: number }> = [];
    if (parts.whole !== null) {
      const { where, params } = rollupFilter(filter, 'minute', parts.whole);
      const row = this.db.prepare(`SELECT ${ROLLUP_SUMS} FROM liquidation_minutes WHERE ${where.join(' AND ')}`).get(...params) as SumsRow;
      sums.push(fromSumsRow(row));
      const best = this.db
        .prepare(
          `SELECT largest AS notional, largest_seq AS seq FROM liquidation_minutes WHERE ${where.join(' AND ')} ORDER BY largest DESC, largest_seq ASC LIMIT 1`,
        )
        .get(...params) as { notional: number; seq: number } | undefined;
      if (best !== undefined) largest.push(best);
    }
    for (const range of parts.ragged) {
      const { where, params } = rowFilter({ ...filter, since: range[0], until: range[1] });
      sums.push(fromSumsRow(this.db.prepare(`SELECT ${ROW_SUMS} FROM liquidations WHERE ${where.join(' AND ')}`).get(...params) as SumsRow));
      const best = this.db
        .prepare(`SELECT notional, seq FROM liquidations WHERE ${where.join(' AND ')} ORDER BY notional DESC, seq ASC LIMIT 1`)
        .get(...params) as { notional: number; seq: number } | undefined;
      if (best !== undefined) largest.push(best);
    }
    const total = combine(sums);
    largest.sort((a, b) => b.notional - a.notional || a.seq - b.seq);
    const top = largest[0] === undefined ? undefined : this.selectBySeq.get(largest[0].seq);
    return {
      totalUsd: total.total,
      count: total.count,
      longUsd: total.long,
      longCount: total.longCount,
      shortUsd: total.short,
      shortCount: total.count - total.longCount,
      largest: top === undefined ? null : toLiquidation(top),
    };
  }

  async series(filter: LiquidationFilter, intervalMs: number): Promise<LiquidationBucket[]> {
    const buckets = new Map<number, LiquidationBucket>();
    const first = Math.floor(filter.since / intervalMs) * intervalMs;
    const last = Math.floor(filter.until / intervalMs) * intervalMs;
    for (let start = first; start <= last; start += intervalMs) buckets.set(start, { start, totalUsd: 0, longUsd: 0, shortUsd: 0, count: 0, largestUsd: 0 });
    const add = (rows: BucketRow[]): void => {
      for (const row of rows) {
        const bucket = buckets.get(row.bucket)!;
        bucket.totalUsd += row.total;
        bucket.longUsd += row.long;
        bucket.shortUsd += row.short;
        bucket.count += row.count;
        bucket.largestUsd = Math.max(bucket.largestUsd, row.largest);
      }
    };
    // Rollups only when whole minutes make whole buckets.
    const parts = intervalMs % MINUTE === 0 ? this.split(filter, MINUTE) : { whole: null, ragged: [[filter.since, filter.until] as const] };
    if (parts.whole !== null) {
      const { where, params } = rollupFilter(filter, 'minute', parts.whole);
      add(
        this.db
          .prepare(
            `SELECT (minute / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, ${ROLLUP_SUMS} FROM liquidation_minutes WHERE ${where.join(' AND ')} GROUP BY bucket`,
          )
          .all(intervalMs, intervalMs, ...params) as BucketRow[],
      );
    }
    for (const range of parts.ragged) {
      const { where, params } = rowFilter({ ...filter, since: range[0], until: range[1] });
      add(
        this.db
          .prepare(
            `SELECT (time / CAST(? AS INTEGER)) * CAST(? AS INTEGER) AS bucket, ${ROW_SUMS} FROM liquidations WHERE ${where.join(' AND ')} GROUP BY bucket`,
          )
          .all(intervalMs, intervalMs, ...params) as BucketRow[],
      );
    }
    return [...buckets.values()];
  }

  /**
   * Over whole minutes, the minute rollup says where to look: every one of the `limit`
   * biggest rows lies in a minute whose largest is at least the limit-th biggest of the
   * minutes' largest (each minute's largest is itself a row), so only those minutes' rows
   * are read, never the whole range. A question about one symbol reads its rows by index.
   */
  async largest(filter: LiquidationFilter, limit: number): Promise<Liquidation[]> {
    const ranges: Array<readonly [number, number]> = [];
    const parts = this.split(filter, MINUTE);
    if (parts.whole !== null) {
      const { where, params } = rollupFilter(filter, 'minute', parts.whole);
      const tops = this.db
        .prepare(`SELECT minute, MAX(largest) AS largest FROM liquidation_minutes WHERE ${where.join(' AND ')} GROUP BY minute ORDER BY largest DESC LIMIT ?`)
        .all(...params, limit) as Array<{ minute: number; largest: number }>;
      const floor = tops[tops.length - 1]?.largest;
      if (floor !== undefined) {
        const minutes = this.db
          .prepare(`SELECT minute FROM liquidation_minutes WHERE ${where.join(' AND ')} GROUP BY minute HAVING MAX(largest) >= ?`)
          .all(...params, floor) as Array<{ minute: number }>;
        for (const { minute } of minutes) ranges.push([minute, minute + MINUTE - 1]);
      }
    }
    ranges.push(...parts.ragged);
    const rows: LiquidationRow[] = [];
    for (const range of ranges) {
      const { where, params } = rowFilter({ ...filter, since: range[0], until: range[1] });
      rows.push(
        ...(this.db
          .prepare(`SELECT ${COLUMNS} FROM liquidations WHERE ${where.join(' AND ')} ORDER BY notional DESC, seq ASC LIMIT ?`)
          .all(...params, limit) as LiquidationRow[]),
      );
    }
    return rows
      .sort((a, b) => b.notional - a.notional || a.seq - b.seq)
      .slice(0, limit)
      .map(toLiquidation);
  }

  async leaders(filter: LiquidationFilter, limit: number): Promise<SymbolTotals[]> {
    const bySymbol = new Map<string, SymbolTotals>();
    const add = (rows: Array<SumsRow & { symbol: string }>): void => {
      for (const row of rows) {
        const entry = bySymbol.get(row.symbol) ?? { symbol: row.symbol, totalUsd: 0, longUsd: 0, shortUsd: 0, count: 0, largestUsd: 0 };
        entry.totalUsd += row.total;
        entry.longUsd += row.long;
        entry.shortUsd += row.short;
        entry.count += row.count;
        entry.largestUsd = Math.max(entry.largestUsd, row.largest);
        bySymbol.set(row.symbol, entry);
      }
    };
    const parts = this.split(filter, HOUR);
    if (parts.whole !== null) {
      const { where, params } = rollupFilter(filter, 'hour', parts.whole);
      if (filter.symbol !== undefined) {
        where.push('symbol = ?');
        params.push(filter.symbol);
      }
      add(
        this.db.prepare(`SELECT symbol, ${ROLLUP_SUMS} FROM liquidation_symbol_hours WHERE ${where.join(' AND ')} GROUP BY symbol`).all(...params) as Array<
          SumsRow & { symbol: string }
        >,
      );
    }
    for (const range of parts.ragged) {
      const { where, params } = rowFilter({ ...filter, since: range[0], until: range[1] });
      add(
        this.db.prepare(`SELECT symbol, ${ROW_SUMS} FROM liquidations WHERE ${where.join(' AND ')} GROUP BY symbol`).all(...params) as Array<
          SumsRow & { symbol: string }
        >,
      );
    }
    return [...bySymbol.values()].sort((a, b) => b.totalUsd - a.totalUsd || a.symbol.localeCompare(b.symbol)).slice(0, limit);
  }

  async recordGap(gap: StoredGap): Promise<void> {
    if (gap.end <= gap.start) return;
    this.db
      .prepare('INSERT INTO feed_gaps (venue, start, end) VALUES (?, ?, ?) ON CONFLICT (venue, start) DO UPDATE SET end = MAX(end, excluded.end)')
      .run(gap.venue, gap.start, gap.end);
  }

  async gaps(since: number, until: number, venue?: Venue): Promise<StoredGap[]> {
    const rows = this.db
      .prepare(`SELECT venue, start, end FROM feed_gaps WHERE end >= ? AND start <= ?${venue === undefined ? '' : ' AND venue = ?'} ORDER BY start, venue`)
      .all(...(venue === undefined ? [since, until] : [since, until, venue])) as StoredGap[];
    return rows;
  }

  async markAlive(venue: Venue, at: number): Promise<void> {
    this.db.prepare('INSERT INTO feed_alive (venue, at) VALUES (?, ?) ON CONFLICT (venue) DO UPDATE SET at = MAX(at, excluded.at)').run(venue, at);
  }

  async lastAlive(venue: Venue): Promise<number | null> {
    const row = this.db.prepare('SELECT at FROM feed_alive WHERE venue = ?').get(venue) as { at: number } | undefined;
    return row?.at ?? null;
  }

  async prune(before: number): Promise<number> {
    const cut = Math.floor(before / HOUR) * HOUR;
    return this.db.transaction(() => {
      const removed = this.db.prepare('DELETE FROM liquidations WHERE time < ?').run(cut).changes;
      this.db.prepare('DELETE FROM liquidation_minutes WHERE minute < ?').run(cut);
      this.db.prepare('DELETE FROM liquidation_symbol_hours WHERE hour < ?').run(cut);
      this.db.prepare('DELETE FROM feed_gaps WHERE end < ?').run(cut);
      return removed;
    })();
  }

  private recordNow(rows: readonly Liquidation[]): Liquidation[] {
    const inserted = new Map(this.insertRows.all<{ seq: number; id: string }>(rows).map((r) => [r.id, r.seq]));
    const added: Liquidation[] = [];
    const minutes = new Map<string, MinuteRollup>();
    const hours = new Map<string, HourRollup>();
    for (const l of rows) {
      const seq = inserted.get(l.id);
      if (seq === undefined) continue;
      inserted.delete(l.id); // the same id twice in one batch is one liquidation
      added.push(l);
      const minute = Math.floor(l.time / MINUTE) * MINUTE;
      const mk = `${minute}\u0000${l.venue}\u0000${l.side}`;
      const m = minutes.get(mk) ?? { minute, venue: l.venue, side: l.side, count: 0, total: 0, largest: -1, largestSeq: seq };
      m.count++;
      m.total += l.notionalUsd;
      if (l.notionalUsd > m.largest) {
        m.largest = l.notionalUsd;
        m.largestSeq = seq;
      }
      minutes.set(mk, m);
      const hour = Math.floor(l.time / HOUR) * HOUR;
      const hk = `${hour}\u0000${l.symbol}\u0000${l.venue}\u0000${l.side}`;
      const h = hours.get(hk) ?? { hour, symbol: l.symbol, venue: l.venue, side: l.side, count: 0, total: 0, largest: 0 };
      h.count++;
      h.total += l.notionalUsd;
      h.largest = Math.max(h.largest, l.notionalUsd);
      hours.set(hk, h);
    }
    this.upsertMinutes.run([...minutes.values()]);
    this.upsertHours.run([...hours.values()]);
    return added;
  }

  /**
   * The range as whole units (read from a rollup) and ragged ends (read from the rows).
   * A question about one symbol reads only rows: the minute rollup has no symbol.
   */
  private split(filter: LiquidationFilter, unit: number): { whole: readonly [number, number] | null; ragged: Array<readonly [number, number]> } {
    const wholeStart = Math.ceil(filter.since / unit) * unit;
    const wholeEnd = Math.floor((filter.until + 1) / unit) * unit;
    if ((filter.symbol !== undefined && unit === MINUTE) || wholeEnd <= wholeStart) return { whole: null, ragged: [[filter.since, filter.until]] };
    const ragged: Array<readonly [number, number]> = [];
    if (filter.since < wholeStart) ragged.push([filter.since, wholeStart - 1]);
    if (wholeEnd <= filter.until) ragged.push([wholeEnd, filter.until]);
    return { whole: [wholeStart, wholeEnd], ragged };
  }
}

const COLUMNS = 'seq, id, venue, symbol, asset, side, price, price_text, quantity, notional, time';
const ROW_SUMS = `COALESCE(SUM(notional), 0) AS total, COALESCE(SUM(CASE WHEN side = 'long' THEN notional END), 0) AS long,
  COALESCE(SUM(CASE WHEN side = 'short' THEN notional END), 0) AS short, COUNT(*) AS count,
  COUNT(CASE WHEN side = 'long' THEN 1 END) AS long_count, COALESCE(MAX(notional), 0) AS largest`;
const ROLLUP_SUMS = `COALESCE(SUM(total), 0) AS total, COALESCE(SUM(CASE WHEN side = 'long' THEN total END), 0) AS long,
  COALESCE(SUM(CASE WHEN side = 'short' THEN total END), 0) AS short, COALESCE(SUM(count), 0) AS count,
  COALESCE(SUM(CASE WHEN side = 'long' THEN count END), 0) AS long_count, COALESCE(MAX(largest), 0) AS largest`;

interface LiquidationRow {
  seq: number;
  id: string;
  venue: string;
  symbol: string;
  asset: string;
  side: string;
  price: number;
  price_text: string;
  quantity: number;
  notional: number;
  time: number;
}

interface SumsRow {
  total: number;
  long: number;
  short: number;
  count: number;
  long_count: number;
  largest: number;
}

interface BucketRow extends SumsRow {
  bucket: number;
}

function toLiquidation(row: LiquidationRow): Liquidation {
  return {
    id: row.id,
    venue: row.venue as Venue,
    symbol: row.symbol,
    asset: row.asset,
    side: row.side as LiquidationSide,
    price: row.price,
    priceText: row.price_text,
    quantity: row.quantity,
    notionalUsd: row.notional,
    time: row.time,
  };
}

function fromSumsRow(row: SumsRow): Sums {
  return { total: row.total, long: row.long, short: row.short, count: row.count, longCount: row.long_count, largest: row.largest };
}

function combine(parts: readonly Sums[]): Sums {
  return parts.reduce(
    (a, b) => ({
      total: a.total + b.total,
      long: a.long + b.long,
      short: a.short + b.short,
      count: a.count + b.count,
      longCount: a.longCount + b.longCount,
      largest: Math.max(a.largest, b.largest),
    }),
    { total: 0, long: 0, short: 0, count: 0, longCount: 0, largest: 0 },
  );
}

function rowFilter(filter: LiquidationFilter): { where: string[]; params: Array<string | number> } {
  const where = ['time >= ?', 'time <= ?'];
  const params: Array<string | number> = [filter.since, filter.until];
  if (filter.venue !== undefined) {
    where.push('venue = ?');
    params.push(filter.venue);
  }
  if (filter.symbol !== undefined) {
    where.push('symbol = ?');
    params.push(filter.symbol);
  }
  if (filter.side !== undefined) {
    where.push('side = ?');
    params.push(filter.side);
  }
  return { where, params };
}

function rollupFilter(
  filter: LiquidationFilter,
  column: 'minute' | 'hour',
  [start, end]: readonly [number, number],
): { where: string[]; params: Array<string | number> } {
  const where = [`${column} >= ?`, `${column} < ?`];
  const params: Array<string | number> = [start, end];
  if (filter.venue !== undefined) {
    where.push('venue = ?');
    params.push(filter.venue);
  }
  if (filter.side !== undefined) {
    where.push('side = ?');
    params.push(filter.side);
  }
  return { where, params };
}
