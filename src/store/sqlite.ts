/**
 * @module store/sqlite — the embedded database: open, migrate, and the round transaction.
 *
 * WAL journal with synchronous=FULL: a committed round survives `kill -9` and power
 * loss, and an interrupted one leaves no trace. Reads for the API go through the same
 * connection (better-sqlite3 is synchronous; a round's transaction is short).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from './errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';
import type { MonitorStatus, RoundCommit, StoredEvent, SubjectState } from './model.js';
import { OutboxQueries } from './outbox-queries.js';
import { EventQueries } from './event-queries.js';

/** How many recent values per subject are kept for charts. */
export const SAMPLES_PER_SUBJECT = 288;

export type Db = Database.Database;

/** Opens (creating and migrating as needed) the database at `path`; ':memory:' for tests. */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (error) {
      throw new StoreError('STORE_OPEN', `cannot create the directory for the state database ${path}: ${(error as Error).message}; pass --state PATH or set ASTERWATCH_STATE`);
    }
  }
  let db: Db;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
  } catch (error) {
    throw new StoreError('STORE_OPEN', `cannot open the state database ${path}: ${(error as Error).message}; pass --state PATH or set ASTERWATCH_STATE`);
  }
  migrate(db, path);
  return db;
}

/** Applies every migration newer than the database's version, each in its own transaction. */
export function migrate(db: Db, path: string, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError('STORE_TOO_NEW', `the state database ${path} was written by a newer asterwatch (schema ${current}, this version knows ${SCHEMA_VERSION}); upgrade asterwatch or point --state elsewhere`);
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/** The store: state, monitor status, the outbox and event history, in one database. */
export class SqliteStore {
  readonly outbox: OutboxQueries;
  readonly events: EventQueries;
  private readonly selectState: Database.Statement<[string], StateRow>;
  private readonly upsertState: Database.Statement<[string, string, number, number | null, number, number]>;
  private readonly upsertStatus: Database.Statement<[string, number, number, string, string | null, number]>;
  private readonly insertSample: Database.Statement<[string, string, number, number]>;
  private readonly pruneSamples: Database.Statement<[string, string, string, string, number]>;
  private readonly commitTransaction: (round: RoundCommit) => StoredEvent[];

  constructor(readonly db: Db, readonly path: string) {
    this.outbox = new OutboxQueries(db);
    this.events = new EventQueries(db);
    this.selectState = db.prepare('SELECT monitor, subject, value, previous, armed, checked_at FROM subject_state WHERE monitor = ?');
    this.upsertState = db.prepare(`INSERT INTO subject_state (monitor, subject, value, previous, armed, checked_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (monitor, subject) DO UPDATE SET value = excluded.value, previous = excluded.previous, armed = excluded.armed, checked_at = excluded.checked_at`);
    this.upsertStatus = db.prepare(`INSERT INTO monitor_status (monitor, last_round, last_checked_at, last_result, last_error, checks, failures) VALUES (?, ?, ?, ?, ?, 1, ?)
      ON CONFLICT (monitor) DO UPDATE SET last_round = excluded.last_round, last_checked_at = excluded.last_checked_at, last_result = excluded.last_result,
        last_error = excluded.last_error, checks = checks + 1, failures = failures + excluded.failures`);
    this.insertSample = db.prepare('INSERT OR REPLACE INTO samples (monitor, subject, time, value) VALUES (?, ?, ?, ?)');
    this.pruneSamples = db.prepare(`DELETE FROM samples WHERE monitor = ? AND subject = ? AND time < (
      SELECT time FROM samples WHERE monitor = ? AND subject = ? ORDER BY time DESC LIMIT 1 OFFSET ?)`);
    this.commitTransaction = db.transaction((round: RoundCommit) => this.writeRound(round));
  }

  /** Opens the database file and wraps it. */
  static open(path: string): SqliteStore {
    return new SqliteStore(openDatabase(path), path);
  }

  /** Every subject's state of one monitor, by subject. */
  statesOf(monitor: string): Map<string, SubjectState> {
    const states = new Map<string, SubjectState>();
    for (const row of this.selectState.all(monitor)) states.set(row.subject, toState(row));
    return states;
  }

  /** Writes a round's states, statuses, events and their deliveries atomically; returns the events that are new. */
  commitRound(round: RoundCommit): StoredEvent[] {
    try {
      return this.commitTransaction(round);
    } catch (error) {
      throw new StoreError('STORE_WRITE', `could not write the round to the state database ${this.path}: ${(error as Error).message}`, error);
    }
  }

  monitorStatuses(): MonitorStatus[] {
    return (this.db.prepare('SELECT * FROM monitor_status ORDER BY monitor').all() as StatusRow[]).map((row) => ({
      monitor: row.monitor,
      lastRound: row.last_round,
      lastCheckedAt: row.last_checked_at,
      lastResult: row.last_result as MonitorStatus['lastResult'],
      lastError: row.last_error,
      checks: row.checks,
      failures: row.failures,
    }));
  }

  /** Recent values of a subject, oldest first. */
  samples(monitor: string, subject: string, limit = SAMPLES_PER_SUBJECT): Array<{ time: number; value: number }> {
    const rows = this.db.prepare('SELECT time, value FROM samples WHERE monitor = ? AND subject = ? ORDER BY time DESC LIMIT ?').all(monitor, subject, limit) as Array<{ time: number; value: number }>;
    return rows.reverse();
  }

  /** True when a trivial write succeeds (for readiness). */
  writable(): boolean {
    try {
      this.db.exec('BEGIN IMMEDIATE; ROLLBACK;');
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private writeRound(round: RoundCommit): StoredEvent[] {
    for (const state of round.states) {
      this.upsertState.run(state.monitor, state.subject, state.value, state.previous, state.armed ? 1 : 0, state.checkedAt);
      this.insertSample.run(state.monitor, state.subject, state.checkedAt, state.value);
      this.pruneSamples.run(state.monitor, state.subject, state.monitor, state.subject, SAMPLES_PER_SUBJECT - 1);
    }
    for (const status of round.statuses) {
      this.upsertStatus.run(status.monitor, round.roundTime, round.checkedAt, status.result, status.error, status.result === 'error' ? 1 : 0);
    }
    const stored: StoredEvent[] = [];
    for (const raised of round.events) {
      const seq = this.outbox.enqueue(raised.event, raised.monitor, raised.severity, raised.sinks, round.checkedAt);
      if (seq !== null) stored.push({ seq, event: raised.event });
    }
    return stored;
  }
}

interface StateRow {
  monitor: string;
  subject: string;
  value: number;
  previous: number | null;
  armed: number;
  checked_at: number;
}

interface StatusRow {
  monitor: string;
  last_round: number | null;
  last_checked_at: number | null;
  last_result: string | null;
  last_error: string | null;
  checks: number;
  failures: number;
}

function toState(row: StateRow): SubjectState {
  return { monitor: row.monitor, subject: row.subject, value: row.value, previous: row.previous, armed: row.armed === 1, checkedAt: row.checked_at };
}
