/**
 * @module store/sqlite/silences — silences in the state database (table `silences`).
 */
import type Database from 'better-sqlite3';
import type { Silence, SilenceStore } from '../silences.js';
import type { Db } from './open.js';

interface Row {
  id: string;
  monitor: string;
  subject: string | null;
  starts_at: number;
  ends_at: number;
  comment: string | null;
  created_at: number;
  created_by: string;
}

const COLUMNS = 'id, monitor, subject, starts_at, ends_at, comment, created_at, created_by';

export class SqliteSilences implements SilenceStore {
  private readonly insert: Database.Statement<[string, string, string | null, number, number, string | null, number, string]>;
  private readonly deleteOne: Database.Statement<[string]>;
  private readonly selectActive: Database.Statement<[number, number], Row>;
  private readonly selectAll: Database.Statement<[], Row>;
  private readonly deleteEnded: Database.Statement<[number]>;

  constructor(db: Db) {
    this.insert = db.prepare(`INSERT INTO silences (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
    this.deleteOne = db.prepare('DELETE FROM silences WHERE id = ?');
    this.selectActive = db.prepare(`SELECT ${COLUMNS} FROM silences WHERE ends_at > ? AND starts_at <= ? ORDER BY created_at, id`);
    this.selectAll = db.prepare(`SELECT ${COLUMNS} FROM silences ORDER BY created_at, id`);
    this.deleteEnded = db.prepare('DELETE FROM silences WHERE ends_at < ?');
  }

  async add(s: Silence): Promise<void> {
    this.insert.run(s.id, s.monitor, s.subject, s.startsAt, s.endsAt, s.comment, s.createdAt, s.createdBy);
  }

  async remove(id: string): Promise<boolean> {
    return this.deleteOne.run(id).changes > 0;
  }

  async list(at: number, options: { includeExpired?: boolean } = {}): Promise<Silence[]> {
    return (options.includeExpired === true ? this.selectAll.all() : this.selectActive.all(at, at)).map(toSilence);
  }

  async prune(before: number): Promise<number> {
    return this.deleteEnded.run(before).changes;
  }
}

function toSilence(r: Row): Silence {
  return {
    id: r.id,
    monitor: r.monitor,
    subject: r.subject,
    startsAt: r.starts_at,
    endsAt: r.ends_at,
    comment: r.comment,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}
