/**
 * @module store/sqlite/events — recording raised events, and reading them back.
 */
import type Database from 'better-sqlite3';
import type { AlertEvent } from '../../events/index.js';
import type { EventQuery, RaisedEvent, StoredEvent } from '../model.js';
import type { EventStore } from '../store.js';
import { BatchInsert } from './batch.js';
import type { Db } from './open.js';

export class SqliteEvents implements EventStore {
  private readonly insertEvents: BatchInsert<RaisedEvent>;
  private readonly insertDeliveries: BatchInsert<{ seq: number; sink: string; at: number }>;
  private readonly selectAfter: Database.Statement<[number, number], EventRow>;
  private readonly selectLastSeq: Database.Statement<[], { seq: number }>;
  private readonly selectCount: Database.Statement<[], { n: number }>;
  /** The time `record` is writing at (read by the row writer, to avoid a copy per event). */
  private recordedAt = 0;

  constructor(private readonly db: Db) {
    // An id that exists already comes from a re-run round: skipped, and not returned.
    this.insertEvents = new BatchInsert(
      db,
      'INSERT INTO events (id, monitor, subject, type, severity, time, created_at, body)',
      8,
      'ON CONFLICT (id) DO NOTHING RETURNING seq, id',
      (r, out) => out.push(r.event.id, r.monitor, r.event.subject, r.event.type, r.severity, r.event.time, this.recordedAt, JSON.stringify(r.event)),
    );
    this.insertDeliveries = new BatchInsert(db, 'INSERT INTO deliveries (event_seq, sink, status, next_attempt_at)', 4, '', (d, out) =>
      out.push(d.seq, d.sink, 'pending', d.at),
    );
    this.selectAfter = db.prepare('SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    // The highest seq ever assigned (AUTOINCREMENT keeps it in sqlite_sequence): pruning the newest events never takes it back.
    this.selectLastSeq = db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS seq");
    this.selectCount = db.prepare('SELECT COUNT(*) AS n FROM events');
  }

  /** Inside the round's transaction: the new events and one pending delivery per sink; returns the new ones in raise order. */
  record(events: readonly RaisedEvent[], now: number): StoredEvent[] {
    if (events.length === 0) return [];
    this.recordedAt = now;
    const inserted = new Map(this.insertEvents.all<{ seq: number; id: string }>(events).map((r) => [r.id, r.seq]));
    const stored: StoredEvent[] = [];
    const deliveries: Array<{ seq: number; sink: string; at: number }> = [];
    for (const raised of events) {
      const seq = inserted.get(raised.event.id);
      if (seq === undefined) continue;
      // Raised twice in this commit: recorded once, like an id stored before.
      inserted.delete(raised.event.id);
      stored.push({ seq, event: raised.event });
      for (const sink of raised.sinks) deliveries.push({ seq, sink, at: now });
    }
    this.insertDeliveries.run(deliveries);
    return stored.sort((a, b) => a.seq - b.seq);
  }

  async recent(query: EventQuery): Promise<StoredEvent[]> {
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
    return (this.db.prepare(sql).all(...params, query.limit) as EventRow[]).map(toStored);
  }

  async after(seq: number, limit: number): Promise<StoredEvent[]> {
    return this.selectAfter.all(seq, limit).map(toStored);
  }

  async lastSeq(): Promise<number> {
    return this.selectLastSeq.get()!.seq;
  }

  async count(): Promise<number> {
    return this.selectCount.get()!.n;
  }
}

interface EventRow {
  seq: number;
  body: string;
}

function toStored(row: EventRow): StoredEvent {
  return { seq: row.seq, event: JSON.parse(row.body) as AlertEvent };
}
