/**
 * @module store/sqlite/prune — retention: old events whose deliveries are all settled.
 *
 * Deleted in chunks so that one prune never holds the write lock for long; a pending
 * delivery keeps its event, whatever its age.
 */
import type Database from 'better-sqlite3';
import type { PruneResult } from '../model.js';
import type { Db } from './open.js';

const CHUNK = 2000;

export class SqlitePrune {
  private readonly selectOld: Database.Statement<[number, number], { seq: number }>;
  private readonly deleteChunk: (seqs: number[]) => PruneResult;

  constructor(db: Db) {
    this.selectOld = db.prepare(`SELECT seq FROM events e WHERE e.created_at < ?
      AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_seq = e.seq AND d.status = 'pending') ORDER BY seq LIMIT ?`);
    const deleteDeliveries = db.prepare('DELETE FROM deliveries WHERE event_seq IN (SELECT value FROM json_each(?))');
    const deleteEvents = db.prepare('DELETE FROM events WHERE seq IN (SELECT value FROM json_each(?))');
    this.deleteChunk = db.transaction((seqs: number[]) => {
      const list = JSON.stringify(seqs);
      const deliveries = deleteDeliveries.run(list).changes;
      const events = deleteEvents.run(list).changes;
      return { events, deliveries };
    });
  }

  run(before: number): PruneResult {
    const total: PruneResult = { events: 0, deliveries: 0 };
    // Bounded: each pass deletes what it selected, so the loop ends when nothing old is left.
    for (let pass = 0; pass < 1_000_000; pass++) {
      const seqs = this.selectOld.all(before, CHUNK).map((r) => r.seq);
      if (seqs.length === 0) break;
      const removed = this.deleteChunk(seqs);
      total.events += removed.events;
      total.deliveries += removed.deliveries;
      if (seqs.length < CHUNK) break;
    }
    return total;
  }
}
