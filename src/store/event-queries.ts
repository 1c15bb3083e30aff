/**
 * @module store/event-queries — reading raised events back (API, dashboard, SSE catch-up).
 */
import type Database from 'better-sqlite3';
import type { AlertEvent } from '../events/index.js';
import type { StoredEvent } from './model.js';

export interface EventQuery {
  monitor?: string;
  /** ISO time or ms: only events at or after it. */
  since?: number;
  /** Pagination cursor: only events with seq below it. */
  before?: number;
  limit: number;
}

export class EventQueries {
  constructor(private readonly db: Database.Database) {}

  /** Newest first. */
  recent(query: EventQuery): StoredEvent[] {
    const where: string[] = [];
    const params: Array<string | number> = [];
    if (query.monitor !== undefined) {
      where.push('monitor = ?');
      params.push(query.monitor);
    }
    if (query.since !== undefined) {
      where.push('created_at >= ?');
      params.push(query.since);
    }
    if (query.before !== undefined) {
      where.push('seq < ?');
      params.push(query.before);
    }
    const sql = `SELECT seq, body FROM events${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, query.limit) as Array<{ seq: number; body: string }>).map(toStored);
  }

  /** Events after `seq`, oldest first (for a live stream). */
  after(seq: number, limit = 500): StoredEvent[] {
    return (this.db.prepare('SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as Array<{ seq: number; body: string }>).map(toStored);
  }

  lastSeq(): number {
    return (this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS seq FROM events').get() as { seq: number }).seq;
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
  }
}

function toStored(row: { seq: number; body: string }): StoredEvent {
  return { seq: row.seq, event: JSON.parse(row.body) as AlertEvent };
}
