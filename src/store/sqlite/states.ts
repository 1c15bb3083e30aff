/**
 * @module store/sqlite/states — subject state and monitor status, with a write-through cache.
 *
 * A round reads every state of its monitors; reading 10,000 rows per round would cost
 * more than the round, so states are cached in memory. The cache stays valid while
 * PRAGMA data_version is unchanged: SQLite bumps it only when another connection
 * commits (a `check` beside the service), and then the cache is reloaded.
 */
import type Database from 'better-sqlite3';
import { StaleStateError } from '../errors.js';
import type { AlertMemory, GuardedStateWrite, MonitorStatus, RoundCommit, SubjectState } from '../model.js';
import { BatchInsert } from './batch.js';
import { OneState } from './one-state.js';
import type { Db } from './open.js';

export const EMPTY_STATES: ReadonlyMap<string, SubjectState> = new Map();

export class SqliteStates {
  private readonly upsertStates: BatchInsert<GuardedStateWrite>;
  private readonly upsertStatuses: BatchInsert<MonitorStatus>;
  private readonly selectStatuses: Database.Statement<[], StatusRow>;
  private readonly selectAllStates: Database.Statement<[], StateRow>;
  private readonly deleteState: Database.Statement<[string, string]>;
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly forgetTransaction: (keep: string) => number;
  private stateCache: Map<string, ReadonlyMap<string, SubjectState>> | null = null;
  private cachedVersion = -1;
  private statusCache: Map<string, MonitorStatus> | null = null;
  private statusVersion = -1;

  constructor(db: Db) {
    // Versions are checked before this runs, under the write lock (see write()), so the
    // upsert itself needs no guard.
    // Every column is written, so replacing the row is the upsert (and a quarter cheaper than ON CONFLICT DO UPDATE).
    this.upsertStates = new BatchInsert(
      db,
      'INSERT OR REPLACE INTO subject_state (monitor, subject, value, previous, armed, checked_at, version, alert)',
      8,
      '',
      (s: GuardedStateWrite, out, at) => {
        out[at] = s.monitor;
        out[at + 1] = s.subject;
        out[at + 2] = s.value;
        out[at + 3] = s.previous;
        out[at + 4] = s.armed ? 1 : 0;
        out[at + 5] = s.checkedAt;
        out[at + 6] = s.version;
        out[at + 7] = s.alert === undefined || s.alert === null ? null : JSON.stringify(s.alert);
      },
    );
    this.upsertStatuses = new BatchInsert(
      db,
      'INSERT INTO monitor_status (monitor, last_round, last_checked_at, last_result, last_error)',
      5,
      `ON CONFLICT (monitor) DO UPDATE SET last_round = excluded.last_round, last_checked_at = excluded.last_checked_at,
        last_result = excluded.last_result, last_error = excluded.last_error`,
      (s: MonitorStatus, out, at) => {
        out[at] = s.monitor;
        out[at + 1] = s.lastRound;
        out[at + 2] = s.lastCheckedAt;
        out[at + 3] = s.lastResult;
        out[at + 4] = s.lastError;
      },
    );
    this.selectStatuses = db.prepare('SELECT monitor, last_round, last_checked_at, last_result, last_error FROM monitor_status');
    this.selectAllStates = db.prepare('SELECT monitor, subject, value, previous, armed, checked_at, version, alert FROM subject_state');
    this.deleteState = db.prepare('DELETE FROM subject_state WHERE monitor = ? AND subject = ?');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck() as Database.Statement<[], number>;
    const goneMonitors = db.prepare(`SELECT COUNT(*) AS n FROM (SELECT monitor FROM subject_state UNION SELECT monitor FROM monitor_status)
      WHERE monitor NOT IN (SELECT value FROM json_each(?))`);
    const dropStates = db.prepare('DELETE FROM subject_state WHERE monitor NOT IN (SELECT value FROM json_each(?))');
    const dropStatuses = db.prepare('DELETE FROM monitor_status WHERE monitor NOT IN (SELECT value FROM json_each(?))');
    this.forgetTransaction = db.transaction((keep: string) => {
      const gone = (goneMonitors.get(keep) as { n: number }).n;
      dropStates.run(keep);
      dropStatuses.run(keep);
      return gone;
    });
  }

  statesOf(monitor: string): ReadonlyMap<string, SubjectState> {
    return this.cachedStates().get(monitor) ?? EMPTY_STATES;
  }

  statesOfMany(monitors: readonly string[]): Map<string, ReadonlyMap<string, SubjectState>> {
    const cache = this.cachedStates();
    // A loop, not map() to tuples: 10,000 monitors a round make the tuples a cost of their own.
    const states = new Map<string, ReadonlyMap<string, SubjectState>>();
    for (let i = 0; i < monitors.length; i++) states.set(monitors[i]!, cache.get(monitors[i]!) ?? EMPTY_STATES);
    return states;
  }

  /**
   * Inside the round's IMMEDIATE transaction. The write lock is held, so no other
   * connection can commit until this one ends, and the cache — reloaded first if another
   * connection committed since it was read (PRAGMA data_version) — is the database's
   * truth: every version the commit names is compared with it, and any difference refuses
   * the whole commit (StaleStateError, rolled back) before anything is written.
   */
  write(round: RoundCommit): void {
    const cache = this.cachedStates();
    const stale: Array<{ monitor: string; subject: string }> = [];
    // Indexed loops here and in committed(): once a round over 10,000 states, where for-of allocates per step.
    const writes = round.states;
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i]!;
      if ((cache.get(w.monitor)?.get(w.subject)?.version ?? 0) !== w.version - 1) stale.push({ monitor: w.monitor, subject: w.subject });
    }
    for (const gone of round.forget ?? []) {
      if ((cache.get(gone.monitor)?.get(gone.subject)?.version ?? 0) !== gone.expectedVersion) stale.push({ monitor: gone.monitor, subject: gone.subject });
    }
    if (stale.length > 0) throw new StaleStateError(stale);
    this.upsertStates.run(round.states);
    for (const gone of round.forget ?? []) this.deleteState.run(gone.monitor, gone.subject);
    const known = this.monitorStatuses();
    const statuses: MonitorStatus[] = [];
    for (let i = 0; i < round.statuses.length; i++) {
      const status = round.statuses[i]!;
      const before = known.get(status.monitor);
      if (before !== undefined && before.lastResult === status.result && before.lastError === status.error) continue;
      statuses.push({
        monitor: status.monitor,
        lastRound: round.roundTime,
        lastCheckedAt: round.checkedAt,
        lastResult: status.result,
        lastError: status.error,
      });
    }
    this.upsertStatuses.run(statuses);
    if (statuses.length > 0) {
      // Copy on write, as for states: a map of statuses already handed out never changes.
      const next = new Map(known);
      for (const status of statuses) next.set(status.monitor, status);
      this.statusCache = next;
    }
  }

  /** After the transaction committed: the cache reflects it. */
  committed(round: RoundCommit): void {
    const cache = this.stateCache;
    if (cache === null) return;
    // Copy on write: a map already handed out (a round's read) never changes under its reader.
    // A round's writes come grouped by monitor, so each monitor's map is replaced once.
    const writes = round.states;
    let i = 0;
    while (i < writes.length) {
      const monitor = writes[i]!.monitor;
      let end = i + 1;
      while (end < writes.length && writes[end]!.monitor === monitor) end++;
      const before = cache.get(monitor);
      if (end === i + 1 && (before === undefined || (before.size === 1 && before.has(writes[i]!.subject)))) {
        // One subject before and after (most monitors): no Map.
        cache.set(monitor, new OneState(writes[i]!));
      } else {
        const states = copyOf(before);
        for (let j = i; j < end; j++) states.set(writes[j]!.subject, writes[j]!);
        cache.set(monitor, states);
      }
      i = end;
    }
    for (const gone of round.forget ?? []) {
      const states = cache.get(gone.monitor);
      if (states?.has(gone.subject)) {
        const copy = copyOf(states);
        copy.delete(gone.subject);
        cache.set(gone.monitor, copy);
      }
    }
  }

  /** Drops the states and statuses of monitors not in `monitors`; returns how many monitors. */
  forgetExcept(monitors: readonly string[]): number {
    const keep = JSON.stringify(monitors);
    const gone = this.forgetTransaction(keep);
    if (gone > 0) this.invalidate();
    return gone;
  }

  /** After a failed transaction nothing cached can be trusted. */
  invalidate(): void {
    this.stateCache = null;
    this.statusCache = null;
  }

  monitorStatuses(): Map<string, MonitorStatus> {
    const version = this.dataVersion.get() as number;
    if (this.statusCache === null || version !== this.statusVersion) {
      this.statusCache = new Map(
        this.selectStatuses.all().map((row) => [
          row.monitor,
          {
            monitor: row.monitor,
            lastRound: row.last_round,
            lastCheckedAt: row.last_checked_at,
            lastResult: row.last_result as MonitorStatus['lastResult'],
            lastError: row.last_error,
          },
        ]),
      );
      this.statusVersion = version;
    }
    return this.statusCache;
  }

  /** The latest round: the status row, or a later successful check in the subjects' state (statuses are written on change). */
  lastRoundOf(monitor: string): number | null {
    let latest = this.monitorStatuses().get(monitor)?.lastRound ?? null;
    for (const state of this.statesOf(monitor).values()) {
      if (latest === null || state.checkedAt > latest) latest = state.checkedAt;
    }
    return latest;
  }

  private cachedStates(): Map<string, ReadonlyMap<string, SubjectState>> {
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
}

/** A copy without the iterator protocol (new Map(map) allocates an entry pair per subject: 10,000 monitors a round). */
function copyOf(states: ReadonlyMap<string, SubjectState> | undefined): Map<string, SubjectState> {
  const copy = new Map<string, SubjectState>();
  states?.forEach((state, subject) => copy.set(subject, state));
  return copy;
}

interface StateRow {
  monitor: string;
  subject: string;
  value: number;
  previous: number | null;
  armed: number;
  checked_at: number;
  version: number;
  alert: string | null;
}

interface StatusRow {
  monitor: string;
  last_round: number;
  last_checked_at: number;
  last_result: string;
  last_error: string | null;
}

function toState(row: StateRow): SubjectState {
  const alert = row.alert === null ? null : parseAlertMemory(row.alert);
  const state: SubjectState = {
    monitor: row.monitor,
    subject: row.subject,
    value: row.value,
    previous: row.previous,
    armed: row.armed === 1,
    checkedAt: row.checked_at,
    version: row.version,
  };
  // Only on subjects with an alert policy's memory: the others keep the shape they always had.
  if (alert !== null) state.alert = alert;
  return state;
}

/** The stored alert memory, or null when it is not one (a damaged row forgets the alert, never fails the round). */
function parseAlertMemory(text: string): AlertMemory | null {
  try {
    const m = JSON.parse(text) as Partial<AlertMemory> | null;
    const time = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
    if (m === null || typeof m !== 'object' || !time(m.firingSince) || !time(m.sentAt) || typeof m.severity !== 'number' || typeof m.severityLabel !== 'string')
      return null;
    return { firingSince: m.firingSince!, sentAt: m.sentAt!, severity: m.severity, severityLabel: m.severityLabel };
  } catch {
    return null;
  }
}
