/**
 * @module store/outbox-queries — the outbox: events waiting for each sink, in order.
 *
 * An event is inserted in the same transaction as the state change that raised it,
 * with one delivery row per sink. A delivery is `done` only after the sink
 * acknowledged it; a sink that keeps failing has its rows moved to `dead`
 * (kept, listed by `asterwatch outbox`, replayable by `asterwatch outbox retry`).
 */
import type Database from 'better-sqlite3';
import type { AlertEvent } from '../events/index.js';
import { BatchInsert } from './batch.js';
import type { OutboxSummary, PendingDelivery, RoundCommit, StoredEvent } from './model.js';

export class OutboxQueries {
  private readonly selectHead: Database.Statement;
  private readonly updateDone: Database.Statement;
  private readonly updateFailed: Database.Statement;
  private readonly updateDead: Database.Statement;
  private readonly insertDeliveries: BatchInsert<{ seq: number; sink: string; at: number }>;
  private readonly insertEvents: BatchInsert<RoundCommit['events'][number]>;
  /** The time enqueueMany is recording at (read by the insert's row writer, to avoid a copy per event). */
  private enqueuedAt = 0;

  constructor(private readonly db: Database.Database) {
    // An id that exists already comes from a re-run round: skipped, and not returned.
    this.insertEvents = new BatchInsert(db, 'INSERT INTO events (id, monitor, subject, type, severity, time, created_at, body)', 8, 'ON CONFLICT (id) DO NOTHING RETURNING seq, id',
      (r, out) => out.push(r.event.id, r.monitor, r.event.subject, r.event.type, r.severity, r.event.time, this.enqueuedAt, JSON.stringify(r.event)));
    this.insertDeliveries = new BatchInsert(db, 'INSERT INTO deliveries (event_seq, sink, status, next_attempt_at)', 4, '', (d, out) => out.push(d.seq, d.sink, 'pending', d.at));
    this.selectHead = db.prepare(`SELECT d.event_seq AS seq, d.sink, d.attempts, d.first_failed_at, d.next_attempt_at, e.body FROM deliveries d
      JOIN events e ON e.seq = d.event_seq WHERE d.sink = ? AND d.status = 'pending' ORDER BY d.event_seq LIMIT ?`);
    this.updateDone = db.prepare(`UPDATE deliveries SET status = 'done', delivered_at = ?, attempts = attempts + 1, last_error = NULL WHERE event_seq = ? AND sink = ?`);
    this.updateFailed = db.prepare(`UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, first_failed_at = COALESCE(first_failed_at, ?)
      WHERE event_seq = ? AND sink = ?`);
    this.updateDead = db.prepare(`UPDATE deliveries SET status = 'dead', attempts = attempts + 1, last_error = ?, first_failed_at = COALESCE(first_failed_at, ?)
      WHERE event_seq = ? AND sink = ?`);
  }

  /**
   * Records a round's events in multi-row statements; returns those that are new (an
   * event whose id exists already comes from a re-run round and is skipped with its deliveries).
   */
  enqueueMany(events: RoundCommit['events'], now: number): StoredEvent[] {
    this.enqueuedAt = now;
    const inserted = new Map(this.insertEvents.all<{ seq: number; id: string }>(events).map((r) => [r.id, r.seq]));
    const stored: StoredEvent[] = [];
    const deliveries: Array<{ seq: number; sink: string; at: number }> = [];
    for (const raised of events) {
      const seq = inserted.get(raised.event.id);
      if (seq === undefined) continue;
      stored.push({ seq, event: raised.event });
      for (const sink of raised.sinks) deliveries.push({ seq, sink, at: now });
    }
    this.insertDeliveries.run(deliveries);
    return stored.sort((a, b) => a.seq - b.seq);
  }

  /** The oldest pending deliveries of a sink, in raise order (due or not). */
  head(sink: string, limit: number): Array<PendingDelivery & { nextAttemptAt: number }> {
    return (this.selectHead.all(sink, limit) as HeadRow[]).map((row) => ({
      seq: row.seq,
      sink: row.sink,
      attempts: row.attempts,
      firstFailedAt: row.first_failed_at,
      nextAttemptAt: row.next_attempt_at,
      event: JSON.parse(row.body) as AlertEvent,
    }));
  }

  /**
   * Records an acknowledged delivery without waiting for fsync: a power cut that loses
   * it means the event is delivered again (receivers dedupe by id), never lost, and
   * skipping one fsync per delivery is what lets the outbox keep up with a burst.
   * Process crashes (kill -9) lose nothing: the WAL is written before this returns.
   */
  markDone(seq: number, sink: string, at: number): void {
    this.db.pragma('synchronous = NORMAL');
    try {
      this.updateDone.run(at, seq, sink);
    } finally {
      this.db.pragma('synchronous = FULL');
    }
  }

  markFailed(seq: number, sink: string, error: string, nextAttemptAt: number, now: number): void {
    this.updateFailed.run(error, nextAttemptAt, now, seq, sink);
  }

  markDead(seq: number, sink: string, error: string, now: number): void {
    this.updateDead.run(error, now, seq, sink);
  }

  /** Moves every pending delivery of a sink to dead (the sink has been failing too long). */
  killPending(sink: string, error: string, now: number): number {
    return this.db.prepare(`UPDATE deliveries SET status = 'dead', last_error = COALESCE(last_error, ?), first_failed_at = COALESCE(first_failed_at, ?)
      WHERE sink = ? AND status = 'pending'`).run(error, now, sink).changes;
  }

  /** Dead deliveries back to pending (all sinks, or one); returns how many. */
  retryDead(now: number, sink?: string): number {
    const sql = `UPDATE deliveries SET status = 'pending', attempts = 0, first_failed_at = NULL, next_attempt_at = ? WHERE status = 'dead'${sink === undefined ? '' : ' AND sink = ?'}`;
    const statement = this.db.prepare(sql);
    return (sink === undefined ? statement.run(now) : statement.run(now, sink)).changes;
  }

  /** Pending, dead and done counts per sink. */
  summary(): OutboxSummary[] {
    const rows = this.db.prepare(`SELECT sink,
        SUM(status = 'pending') AS pending, SUM(status = 'dead') AS dead, SUM(status = 'done') AS done,
        MIN(CASE WHEN status = 'pending' THEN e.created_at END) AS oldest
      FROM deliveries d JOIN events e ON e.seq = d.event_seq GROUP BY sink ORDER BY sink`).all() as Array<{ sink: string; pending: number; dead: number; done: number; oldest: number | null }>;
    return rows.map((r) => ({ sink: r.sink, pending: r.pending, dead: r.dead, done: r.done, oldestPendingAt: r.oldest }));
  }

  /** Dead deliveries with their last error, newest first. */
  dead(limit = 50, sink?: string): Array<{ seq: number; sink: string; id: string; attempts: number; lastError: string | null }> {
    const where = sink === undefined ? '' : ' AND d.sink = ?';
    const statement = this.db.prepare(`SELECT d.event_seq AS seq, d.sink, e.id, d.attempts, d.last_error FROM deliveries d JOIN events e ON e.seq = d.event_seq
      WHERE d.status = 'dead'${where} ORDER BY d.event_seq DESC LIMIT ?`);
    const rows = (sink === undefined ? statement.all(limit) : statement.all(sink, limit)) as Array<{ seq: number; sink: string; id: string; attempts: number; last_error: string | null }>;
    return rows.map((r) => ({ seq: r.seq, sink: r.sink, id: r.id, attempts: r.attempts, lastError: r.last_error }));
  }
}

interface HeadRow {
  seq: number;
  sink: string;
  attempts: number;
  first_failed_at: number | null;
  next_attempt_at: number;
  body: string;
}
