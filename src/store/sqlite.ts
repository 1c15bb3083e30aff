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
import { BatchInsert } from './batch.js';
import { OutboxQueries } from './outbox-queries.js';
import { EventQueries } from './event-queries.js';

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
  private readonly upsertStates: BatchInsert<SubjectState>;
  private readonly upsertStatuses: BatchInsert<MonitorStatus>;
  private readonly selectStatuses: Database.Statement<[], StatusRow>;
  /** Persisted statuses, to write only the ones that change. */
  private statusCache: Map<string, MonitorStatus> | null = null;
  private statusVersion = -1;
  private readonly selectAllStates: Database.Statement<[], StateRow>;
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly commitTransaction: (round: RoundCommit) => StoredEvent[];
  /**
   * Write-through copy of subject_state. Valid while PRAGMA data_version is unchanged:
   * SQLite bumps it only when another connection commits (a `check` run beside the
   * service), and then the copy is reloaded.
   */
  private stateCache: Map<string, Map<string, SubjectState>> | null = null;
  private cachedVersion = -1;

  constructor(readonly db: Db, readonly path: string) {
    this.outbox = new OutboxQueries(db);
    this.events = new EventQueries(db);
    this.upsertStates = new BatchInsert(db, 'INSERT INTO subject_state (monitor, subject, value, previous, armed, checked_at)', 6,
      'ON CONFLICT (monitor, subject) DO UPDATE SET value = excluded.value, previous = excluded.previous, armed = excluded.armed, checked_at = excluded.checked_at',
      (s: SubjectState, out) => out.push(s.monitor, s.subject, s.value, s.previous, s.armed ? 1 : 0, s.checkedAt));
    this.upsertStatuses = new BatchInsert(db, 'INSERT INTO monitor_status (monitor, last_round, last_checked_at, last_result, last_error)', 5,
      `ON CONFLICT (monitor) DO UPDATE SET last_round = excluded.last_round, last_checked_at = excluded.last_checked_at,
        last_result = excluded.last_result, last_error = excluded.last_error`,
      (s: MonitorStatus, out) => out.push(s.monitor, s.lastRound, s.lastCheckedAt, s.lastResult, s.lastError));
    this.selectStatuses = db.prepare('SELECT monitor, last_round, last_checked_at, last_result, last_error FROM monitor_status');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck() as Database.Statement<[], number>;
    this.selectAllStates = db.prepare('SELECT monitor, subject, value, previous, armed, checked_at FROM subject_state');
    this.commitTransaction = db.transaction((round: RoundCommit) => this.writeRound(round));
  }

  /** Opens the database file and wraps it. */
  static open(path: string): SqliteStore {
    return new SqliteStore(openDatabase(path), path);
  }

  /** Every subject's state of one monitor, by subject. */
  statesOf(monitor: string): ReadonlyMap<string, SubjectState> {
    return this.cachedStates().get(monitor) ?? EMPTY;
  }

  /** State of many monitors at once, from the write-through cache. */
  statesOfMany(monitors: readonly string[]): Map<string, ReadonlyMap<string, SubjectState>> {
    const cache = this.cachedStates();
    return new Map(monitors.map((m) => [m, cache.get(m) ?? EMPTY] as const));
  }

  private cachedStates(): Map<string, Map<string, SubjectState>> {
    const version = this.dataVersion.get() as number;
    if (this.stateCache === null || version !== this.cachedVersion) {
      const cache = new Map<string, Map<string, SubjectState>>();
      for (const row of this.selectAllStates.all()) {
        let states = cache.get(row.monitor);
        if (states === undefined) cache.set(row.monitor, (states = new Map()));
        states.set(row.subject, toState(row));
      }
      this.stateCache = cache;
      this.cachedVersion = version;
    }
    return this.stateCache;
  }

  /** Writes a round's states, statuses, events and their deliveries atomically; returns the events that are new. */
  commitRound(round: RoundCommit): StoredEvent[] {
    try {
      const stored = this.commitTransaction(round);
      // Only after the commit succeeded does the copy reflect it.
      const cache = this.stateCache;
      if (cache !== null) {
        for (const state of round.states) {
          let states = cache.get(state.monitor);
          if (states === undefined) cache.set(state.monitor, (states = new Map()));
          states.set(state.subject, state);
        }
      }
      return stored;
    } catch (error) {
      this.stateCache = null;
      this.statusCache = null;
      throw new StoreError('STORE_WRITE', `could not write the round to the state database ${this.path}: ${(error as Error).message}`, error);
    }
  }

  /** Each monitor's latest persisted result, by name. */
  monitorStatuses(): Map<string, MonitorStatus> {
    const version = this.dataVersion.get() as number;
    if (this.statusCache === null || version !== this.statusVersion) {
      this.statusCache = new Map(this.selectStatuses.all().map((row) => [row.monitor, {
        monitor: row.monitor,
        lastRound: row.last_round,
        lastCheckedAt: row.last_checked_at,
        lastResult: row.last_result as MonitorStatus['lastResult'],
        lastError: row.last_error,
      }]));
      this.statusVersion = version;
    }
    return this.statusCache;
  }

  /**
   * The latest round a monitor completed: its status row, or a later successful check
   * recorded in its subjects' state (statuses are written only when they change).
   */
  lastRoundOf(monitor: string): number | null {
    let latest = this.monitorStatuses().get(monitor)?.lastRound ?? null;
    for (const state of this.statesOf(monitor).values()) {
      if (latest === null || state.checkedAt > latest) latest = state.checkedAt;
    }
    return latest;
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
    this.upsertStates.run(round.states);
    const known = this.monitorStatuses();
    const changed: MonitorStatus[] = [];
    for (const status of round.statuses) {
      const before = known.get(status.monitor);
      if (before !== undefined && before.lastResult === status.result && before.lastError === status.error) continue;
      changed.push({ monitor: status.monitor, lastRound: round.roundTime, lastCheckedAt: round.checkedAt, lastResult: status.result, lastError: status.error });
    }
    this.upsertStatuses.run(changed);
    for (const status of changed) known.set(status.monitor, status);
    return this.outbox.enqueueMany(round.events, round.checkedAt);
  }
}

const EMPTY: ReadonlyMap<string, SubjectState> = new Map();

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
  last_round: number;
  last_checked_at: number;
  last_result: string;
  last_error: string | null;
}

function toState(row: StateRow): SubjectState {
  return { monitor: row.monitor, subject: row.subject, value: row.value, previous: row.previous, armed: row.armed === 1, checkedAt: row.checked_at };
}
