/**
 * @module store/sqlite/readings — readings in the state database (table `readings`).
 */
import type Database from 'better-sqlite3';
import { closerReading, type Reading, type ReadingStore } from '../readings.js';
import type { Db } from './open.js';

export class SqliteReadings implements ReadingStore {
  private readonly insert: Database.Statement<[string, number, number]>;
  private readonly atOrBefore: Database.Statement<[string, number, number], Reading>;
  private readonly atOrAfter: Database.Statement<[string, number, number], Reading>;
  private readonly deleteBefore: Database.Statement<[number]>;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR REPLACE INTO readings (key, at, value) VALUES (?, ?, ?)');
    this.atOrBefore = db.prepare('SELECT at, value FROM readings WHERE key = ? AND at <= ? AND at >= ? ORDER BY at DESC LIMIT 1');
    this.atOrAfter = db.prepare('SELECT at, value FROM readings WHERE key = ? AND at > ? AND at <= ? ORDER BY at ASC LIMIT 1');
    this.deleteBefore = db.prepare('DELETE FROM readings WHERE at < ?');
  }

  async record(key: string, at: number, value: number): Promise<void> {
    this.insert.run(key, at, value);
  }

  async nearest(key: string, target: number, toleranceMs: number): Promise<Reading | null> {
    const before = this.atOrBefore.get(key, target, target - toleranceMs) ?? null;
    const after = this.atOrAfter.get(key, target, target + toleranceMs) ?? null;
    return closerReading(target, before, after);
  }

  async prune(before: number): Promise<number> {
    return this.deleteBefore.run(before).changes;
  }
}
