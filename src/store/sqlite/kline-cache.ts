/**
 * @module store/sqlite/kline-cache — the kline cache in a SQLite file (table `kline_pages`,
 * created if missing: a cache is not part of the state's schema).
 *
 * One row per fetched page: the span it covered and its candles packed as 64-bit floats
 * (open time, close, close time). A year of 1-minute candles of one symbol is 351 rows, read
 * in milliseconds, where one row per candle (525,600 of them) took seconds to read back.
 */
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { uncovered, type CachedKline, type KlineCache, type KlineSeries } from '../kline-cache.js';
import type { Db } from './open.js';

const FIELDS = 3;

export class SqliteKlineCache implements KlineCache {
  private readonly selectSpans: Database.Statement<[string, string, number, number], { start: number; end: number }>;
  private readonly selectPages: Database.Statement<[string, string, number, number], { data: Buffer }>;
  private readonly insertPage: Database.Statement<[string, string, number, number, Buffer]>;

  private constructor(private readonly db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS kline_pages (
        symbol TEXT NOT NULL, interval TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL, data BLOB NOT NULL);
      CREATE INDEX IF NOT EXISTS kline_pages_by_symbol ON kline_pages (symbol, interval, start);`);
    this.selectSpans = db.prepare('SELECT start, "end" AS "end" FROM kline_pages WHERE symbol = ? AND interval = ? AND "end" >= ? AND start <= ?');
    this.selectPages = db.prepare('SELECT data FROM kline_pages WHERE symbol = ? AND interval = ? AND "end" >= ? AND start <= ? ORDER BY start');
    this.insertPage = db.prepare('INSERT INTO kline_pages (symbol, interval, start, "end", data) VALUES (?, ?, ?, ?, ?)');
  }

  /** Opens (creating the table in) the SQLite file at `path`: the state database, or a cache file. */
  static open(path: string): SqliteKlineCache {
    try {
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      return new SqliteKlineCache(db);
    } catch (error) {
      throw new StoreError('STORE_OPEN', `cannot open the kline cache ${path}: ${(error as Error).message}; pass --cache PATH`);
    }
  }

  async missing(symbol: string, interval: string, from: number, to: number): Promise<Array<[number, number]>> {
    return uncovered(
      from,
      to,
      this.selectSpans.all(symbol, interval, from, to).map((s) => [s.start, s.end] as const),
    );
  }

  async put(symbol: string, interval: string, from: number, to: number, candles: readonly CachedKline[]): Promise<void> {
    const packed = new Float64Array(candles.length * FIELDS);
    candles.forEach((c, i) => {
      packed[i * FIELDS] = c.openTime;
      packed[i * FIELDS + 1] = c.close;
      packed[i * FIELDS + 2] = c.closeTime;
    });
    this.insertPage.run(symbol, interval, from, to, Buffer.from(packed.buffer));
  }

  async series(symbol: string, interval: string, from: number, to: number): Promise<KlineSeries> {
    const pages = this.selectPages
      .all(symbol, interval, from, to)
      .map(({ data }) => new Float64Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength)));
    const total = pages.reduce((n, p) => n + p.length / FIELDS, 0);
    const closeTimes = new Float64Array(total);
    const closes = new Float64Array(total);
    let n = 0;
    let lastOpen = -Infinity;
    for (const packed of pages) {
      for (let i = 0; i + FIELDS <= packed.length; i += FIELDS) {
        const openTime = packed[i]!;
        // Pages are read in order of their start; a candle already taken (overlapping pages) is skipped.
        if (openTime < from || openTime > to || openTime <= lastOpen) continue;
        lastOpen = openTime;
        closes[n] = packed[i + 1]!;
        closeTimes[n++] = packed[i + 2]!;
      }
    }
    return { closeTimes: closeTimes.subarray(0, n), closes: closes.subarray(0, n) };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
