/**
 * @module store/sqlite/events — recording raised events, and reading them back.
 */
import type Database from 'better-sqlite3';
import { eventSlot, type AlertEvent } from '../../events/index.js';
import type { EventQuery, RaisedEvent, StoredEvent } from '../model.js';
import type { EventStore } from '../store.js';
import { BatchInsert } from './batch.js';
import type { Db } from './open.js';

/** Thrown inside the fast path's savepoint when a batch holds an id stored before (rolls the savepoint back). */
class StoredBefore extends Error {}

export class SqliteEvents implements EventStore {
  private readonly insertEvents: BatchInsert<RaisedEvent>;
  private readonly insertDeliveries: BatchInsert<{ seq: number; sink: string; at: number }>;
  private readonly selectAfter: Database.Statement<[number, number], EventRow>;
  private readonly selectLastSeq: Database.Statement<[], { seq: number }>;
  private readonly selectCount: Database.Statement<[], { n: number }>;
  private readonly selectKnownIds: Database.Statement<[string, string], { id: string }>;
  private readonly selectUnknownSlot: Database.Statement<[], number>;
  private readonly selectIdsAnySlot: Database.Statement<[string], { id: string }>;
  private readonly selectRange: Database.Statement<[], { oldest: number | null; newest: number | null }>;
  private readonly selectOfMonitorOnDay: Database.Statement<[number, string, number, number, number], EventRow>;
  private readonly insertAll: (events: readonly RaisedEvent[]) => void;
  /** The time `record` is writing at, and the next seq (read by the row writer, to avoid a copy per event). */
  private recordedAt = 0;
  private nextSeq = 0;

  constructor(private readonly db: Db) {
    // Seqs are assigned here, under the round's write lock, rather than returned by the
    // insert: RETURNING cost 10–15 % of a storm's inserts. An id stored before comes
    // from a re-run round; the fast path then fails as a whole and the slow one skips it.
    this.insertEvents = new BatchInsert(
      db,
      'INSERT INTO events (seq, slot, id, monitor, subject, type, severity, time, created_at, body)',
      10,
      'ON CONFLICT (slot, id) DO NOTHING',
      (r, out, at) => {
        out[at] = this.nextSeq++;
        out[at + 1] = slotOf(r.event);
        out[at + 2] = r.event.id;
        out[at + 3] = r.monitor;
        out[at + 4] = r.event.subject;
        out[at + 5] = r.event.type;
        out[at + 6] = r.severity;
        out[at + 7] = r.event.time;
        out[at + 8] = this.recordedAt;
        out[at + 9] = JSON.stringify(r.event);
      },
    );
    this.insertDeliveries = new BatchInsert(db, 'INSERT INTO deliveries (event_seq, sink, status, next_attempt_at)', 4, '', (d, out, at) => {
      out[at] = d.seq;
      out[at + 1] = d.sink;
      out[at + 2] = 'pending';
      out[at + 3] = d.at;
    });
    this.selectAfter = db.prepare('SELECT seq, body FROM events WHERE seq > ? ORDER BY seq LIMIT ?');
    // The highest seq ever assigned (AUTOINCREMENT keeps it in sqlite_sequence): pruning the newest events never takes it back.
    this.selectLastSeq = db.prepare("SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'events'), 0) AS seq");
    this.selectCount = db.prepare('SELECT COUNT(*) AS n FROM events');
    // Two subqueries: SQLite answers a lone MIN or MAX from the index's ends, not both at once.
    this.selectRange = db.prepare('SELECT (SELECT MIN(created_at) FROM events) AS oldest, (SELECT MAX(created_at) FROM events) AS newest');
    // The expression is the index's (events_by_day_monitor), so the index serves it.
    this.selectOfMonitorOnDay = db.prepare(`SELECT seq, body FROM events WHERE created_at / 86400000 = ? AND monitor = ? AND created_at >= ? AND seq < ?
      ORDER BY seq DESC LIMIT ?`);
    // By (slot, id), the unique key; and among rows of unknown slot (written before slots were
    // kept, or raised without one) by id, within that slot's part of the same index.
    this.selectKnownIds = db.prepare(`SELECT e.id FROM json_each(?) AS k JOIN events AS e ON e.slot = k.value ->> 0 AND e.id = k.value ->> 1
      UNION SELECT id FROM events WHERE slot = -1 AND id IN (SELECT value ->> 1 FROM json_each(?))`);
    this.selectIdsAnySlot = db.prepare('SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))');
    this.selectUnknownSlot = db.prepare('SELECT EXISTS (SELECT 1 FROM events WHERE slot = -1) AS any').pluck() as Database.Statement<[], number>;
    // Nested in the round's transaction, so a savepoint: a batch with a known id leaves nothing behind.
    this.insertAll = db.transaction((events: readonly RaisedEvent[]) => {
      if (this.insertEvents.changes(events) !== events.length) throw new StoredBefore();
    });
  }

  /** Inside the round's transaction: the new events and one pending delivery per sink; returns the new ones in raise order. */
  record(events: readonly RaisedEvent[], now: number): StoredEvent[] {
    if (events.length === 0) return [];
    this.recordedAt = now;
    // Raised twice in this commit: recorded once, like an id stored before.
    const seen = new Set<string>();
    let fresh: RaisedEvent[] = [];
    for (const raised of events) {
      if (seen.has(raised.event.id)) continue;
      seen.add(raised.event.id);
      fresh.push(raised);
    }
    const first = this.selectLastSeq.get()!.seq + 1;
    // While rows of unknown slot remain, an id among them is not caught by (slot, id): checked first.
    if (this.selectUnknownSlot.get() === 1) fresh = this.withoutKnown(fresh);
    // An event without a slot (not built by buildEvent, or copied without withSlotOf) cannot be
    // matched through (slot, id): its id is looked for under every slot. A scan, but no stored
    // event of this program takes that path (a test shows one that does is still not stored twice).
    if (fresh.some((r) => eventSlot(r.event) === undefined)) fresh = this.withoutKnownAnySlot(fresh);
    this.nextSeq = first;
    try {
      this.insertAll(fresh);
    } catch (error) {
      if (!(error instanceof StoredBefore)) throw error;
      fresh = this.withoutKnown(fresh);
      this.nextSeq = first;
      this.insertEvents.run(fresh);
    }
    const stored: StoredEvent[] = [];
    const deliveries: Array<{ seq: number; sink: string; at: number }> = [];
    for (let i = 0; i < fresh.length; i++) {
      const raised = fresh[i]!;
      const seq = first + i;
      stored.push({ seq, event: raised.event });
      for (const sink of raised.sinks) deliveries.push({ seq, sink, at: now });
    }
    this.insertDeliveries.run(deliveries);
    return stored;
  }

  /** `withoutKnown` for events of unknown slot: their ids under any slot. */
  private withoutKnownAnySlot(events: RaisedEvent[]): RaisedEvent[] {
    const ids = events.filter((r) => eventSlot(r.event) === undefined).map((r) => r.event.id);
    const known = new Set(this.selectIdsAnySlot.all(JSON.stringify(ids)).map((r) => r.id));
    return known.size === 0 ? events : events.filter((r) => !known.has(r.event.id));
  }

  /** The events whose id is stored already (a re-run round's), left out. */
  private withoutKnown(events: RaisedEvent[]): RaisedEvent[] {
    const keys = JSON.stringify(events.map((r) => [slotOf(r.event), r.event.id]));
    const known = new Set(this.selectKnownIds.all(keys, keys).map((r) => r.id));
    return known.size === 0 ? events : events.filter((r) => !known.has(r.event.id));
  }

  async recent(query: EventQuery): Promise<StoredEvent[]> {
    if (query.monitor !== undefined) return this.recentOfMonitor(query.monitor, query).map(toStored);
    const where: string[] = [];
    const params: Array<string | number> = [];
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

  /**
   * A monitor's newest events, day by day from the newest (the index is by day, then monitor,
   * then seq). Once `limit` are found, one older day is read too: a commit from another process
   * can be a few milliseconds out of seq order across midnight.
   */
  private recentOfMonitor(monitor: string, query: EventQuery): EventRow[] {
    const range = this.selectRange.get()!;
    if (range.newest === null || range.oldest === null) return [];
    const since = query.since ?? Number.MIN_SAFE_INTEGER;
    const before = query.before ?? Number.MAX_SAFE_INTEGER;
    const lastDay = Math.floor(Math.max(range.oldest, since) / DAY_MS);
    const found: EventRow[] = [];
    let enough = false;
    for (let day = Math.floor(range.newest / DAY_MS); day >= lastDay; day--) {
      found.push(...this.selectOfMonitorOnDay.all(day, monitor, since, before, query.limit));
      if (enough) break;
      enough = found.length >= query.limit;
    }
    return found.sort((a, b) => b.seq - a.seq).slice(0, query.limit);
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

/** The slot of an event, or -1 when it was not built with one (see events/envelope eventSlot). */
function slotOf(event: AlertEvent): number {
  return eventSlot(event) ?? UNKNOWN_SLOT;
}
const UNKNOWN_SLOT = -1;
/** The bucket of events_by_day_monitor; the migration's index expression divides by the same. */
const DAY_MS = 86_400_000;

interface EventRow {
  seq: number;
  body: string;
}

function toStored(row: EventRow): StoredEvent {
  return { seq: row.seq, event: JSON.parse(row.body) as AlertEvent };
}
