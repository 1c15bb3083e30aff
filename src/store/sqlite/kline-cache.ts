/**
 * @module store/sqlite/kline-cache — the kline cache in a SQLite file (tables `kline_cache`,
 * `kline_spans`, created if missing: a cache is not part of the state's schema).
 */
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { uncovered, type CachedKline, type KlineCache } from '../kline-cache.js';
import type { Db } from './open.js';

export class SqliteKlineCache implements KlineCache {
  private readonly selectSpans: Database.Statement<[string, string, number, number], { start: number; end: number }>;
  private readonly selectCandles: Database.Statement<[string, string, number, number], { open_time: number; close: number; close_time: number }>;
  private readonly putTransaction: (symbol: string, interval: string, from: number, to: number, candles: readonly CachedKline[]) => void;

  private constructor(private readonly db: Db) {
    db.exec(`CREATE TABLE IF NOT EXISTS kline_cache (
        symbol TEXT NOT NULL, interval TEXT NOT NULL, open_time INTEGER NOT NULL, close REAL NOT NULL, close_time INTEGER NOT NULL,
        PRIMARY KEY (symbol, interval, open_time)) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS kline_spans (symbol TEXT NOT NULL, interval TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS kline_spans_by_symbol ON kline_spans (symbol, interval, start);`);
    this.selectSpans = db.prepare('SELECT start, "end" AS "end" FROM kline_spans WHERE symbol = ? AND interval = ? AND "end" >= ? AND start <= ?');
    this.selectCandles = db.prepare(
      'SELECT open_time, close, close_time FROM kline_cache WHERE symbol = ? AND interval = ? AND open_time >= ? AND open_time <= ? ORDER BY open_time',
    );
    const insertCandle = db.prepare('INSERT OR REPLACE INTO kline_cache (symbol, interval, open_time, close, close_time) VALUES (?, ?, ?, ?, ?)');
    const insertSpan = db.prepare('INSERT INTO kline_spans (symbol, interval, start, "end") VALUES (?, ?, ?, ?)');
    this.putTransaction = db.transaction((symbol: string, interval: string, from: number, to: number, candles: readonly CachedKline[]) => {
      for (const c of candles) insertCandle.run(symbol, interval, c.openTime, c.close, c.closeTime);
      insertSpan.run(symbol, interval, from, to);
    });
  }

  /** Opens (creating the tables in) the SQLite file at `path`: the state database, or a cache file. */
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
    this.putTransaction(symbol, interval, from, to, candles);
  }

  async candles(symbol: string, interval: string, from: number, to: number): Promise<CachedKline[]> {
    return this.selectCandles.all(symbol, interval, from, to).map((r) => ({ openTime: r.open_time, close: r.close, closeTime: r.close_time }));
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
