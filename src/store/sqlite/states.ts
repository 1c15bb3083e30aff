/**
 * @module store/sqlite/states — subject state and monitor status, with a write-through cache.
 *
 * A round reads every state of its monitors; reading 10,000 rows per round would cost
 * more than the round, so states are cached in memory. The cache stays valid while
 * PRAGMA data_version is unchanged: SQLite bumps it only when another connection
 * commits (a `check` beside the service), and then the cache is reloaded.
 *
 * A commit writes its states as journal rows (./state-journal.ts), not a row per state; the
 * database's states are `state_folded` (the `subject_state` view) with the journal applied
 * over it, in order, read in one transaction. Folding the journal into `state_folded` happens
 * outside rounds: when the service is idle after a commit once enough has gathered (foldDue),
 * when monitors are forgotten, and when a connection that wrote closes.
 */
import type Database from 'better-sqlite3';
import { StaleStateError } from '../errors.js';
import type { AlertMemory, MonitorStatus, RoundCommit, SubjectState } from '../model.js';
import { StoreError } from '../errors.js';
import { BatchInsert } from './batch.js';
import { OneState } from './one-state.js';
import type { Db } from './open.js';
import { decodeJournal, JournalEncoder, STATES_PER_ROW, type JournalWrite } from './state-journal.js';
import { StateCache } from './state-cache.js';
import { StateMap, type StateSet } from './state-map.js';

/**
 * The journal is folded once it holds this many commits or bytes: what a restart reads
 * (state_folded plus the journal) stays bounded, and a fold rewrites each state once for
 * many rounds (10,000 states: one fold of ~10 ms per 30 rounds instead of 10 ms a round).
 */
export const FOLD_AFTER_COMMITS = 30;
export const FOLD_AFTER_BYTES = 128 * 1024 * 1024;

export const EMPTY_STATES: ReadonlyMap<string, SubjectState> = new Map();
const NO_IDS: readonly number[] = Object.freeze([]);
type GivenStatuses = ReadonlyArray<RoundCommit['statuses'][number]>;
const NO_STATUSES: GivenStatuses = Object.freeze([]);

interface StatusMemo {
  given: GivenStatuses;
  known: Map<string, MonitorStatus>;
}

export class SqliteStates {
  private readonly upsertStates: BatchInsert<SubjectState>;
  private readonly upsertStatuses: BatchInsert<MonitorStatus>;
  private readonly selectStatuses: Database.Statement<[], StatusRow>;
  private readonly selectAllStates: Database.Statement<[], StateRow>;
  private readonly selectKeys: Database.Statement<[], KeyRow>;
  private readonly selectJournal: Database.Statement<[], JournalRow>;
  private readonly insertKey: Database.Statement<[string, string], number>;
  private readonly appendJournal: Database.Statement<[Buffer]>;
  private readonly clearJournal: Database.Statement<[]>;
  private readonly deleteState: Database.Statement<[string, string]>;
  private readonly deleteKey: Database.Statement<[string, string]>;
  private readonly dataVersion: Database.Statement<[], number>;
  private readonly forgetTransaction: (keep: string) => { gone: number; folded: () => void };
  private readonly foldTransaction: () => () => void;
  private readonly loadTransaction: () => StateCache;
  private readonly journalExists: Database.Statement<[], number>;
  /** Journal rows this connection appended since its last fold: close() folds only its own. */
  private ownRows = 0;
  private readonly encoder = new JournalEncoder();
  private stateCache: StateCache | null = null;
  private cachedVersion = -1;
  private statusCache: Map<string, MonitorStatus> | null = null;
  /** The statuses the last commit was given and the status map it left (see write()); pending until it is committed. */
  private lastStatuses: StatusMemo | null = null;
  private pendingStatuses: StatusMemo | null = null;
  private statusVersion = -1;
  /** Subjects forgotten by journal rows not folded yet: their state_folded rows and keys go at the fold. */
  private tombstones: Array<{ monitor: string; subject: string }> = [];
  private journalCommits = 0;
  private journalBytes = 0;
  /** What write() decided, for committed(): the key id of each state written, and the journal row's size. */
  private pending: { ids: number[]; bytes: number } = { ids: [], bytes: 0 };

  constructor(private readonly db: Db) {
    // Only the fold writes state_folded, from the cache under the write lock: every column is
    // written, so replacing the row is the upsert (and a quarter cheaper than ON CONFLICT DO UPDATE).
    this.upsertStates = new BatchInsert(
      db,
      'INSERT OR REPLACE INTO state_folded (monitor, subject, value, previous, armed, checked_at, version, alert)',
      8,
      '',
      (s: SubjectState, out, at) => {
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
    this.selectAllStates = db.prepare(`SELECT k.id, s.monitor, s.subject, s.value, s.previous, s.armed, s.checked_at, s.version, s.alert
      FROM state_folded s LEFT JOIN state_key k ON k.monitor = s.monitor AND k.subject = s.subject`);
    this.journalExists = db.prepare('SELECT EXISTS (SELECT 1 FROM state_journal)').pluck() as Database.Statement<[], number>;
    this.selectKeys = db.prepare('SELECT id, monitor, subject FROM state_key');
    this.selectJournal = db.prepare('SELECT seq, body FROM state_journal ORDER BY seq');
    // The no-op update makes RETURNING answer for a key that exists too.
    this.insertKey = db
      .prepare('INSERT INTO state_key (monitor, subject) VALUES (?, ?) ON CONFLICT (monitor, subject) DO UPDATE SET monitor = excluded.monitor RETURNING id')
      .pluck() as Database.Statement<[string, string], number>;
    this.appendJournal = db.prepare('INSERT INTO state_journal (body) VALUES (?)');
    this.clearJournal = db.prepare('DELETE FROM state_journal');
    this.deleteState = db.prepare('DELETE FROM state_folded WHERE monitor = ? AND subject = ?');
    this.deleteKey = db.prepare('DELETE FROM state_key WHERE monitor = ? AND subject = ?');
    this.dataVersion = db.prepare('PRAGMA data_version').pluck() as Database.Statement<[], number>;
    const goneMonitors = db.prepare(`SELECT COUNT(*) AS n FROM (SELECT monitor FROM state_folded UNION SELECT monitor FROM monitor_status)
      WHERE monitor NOT IN (SELECT value FROM json_each(?))`);
    const dropStates = db.prepare('DELETE FROM state_folded WHERE monitor NOT IN (SELECT value FROM json_each(?))');
    const dropKeys = db.prepare('DELETE FROM state_key WHERE monitor NOT IN (SELECT value FROM json_each(?))');
    const dropStatuses = db.prepare('DELETE FROM monitor_status WHERE monitor NOT IN (SELECT value FROM json_each(?))');
    // The journal is folded first, so no row of it names a key dropped here.
    this.forgetTransaction = db.transaction((keep: string) => {
      const folded = this.foldInTransaction();
      const gone = (goneMonitors.get(keep) as { n: number }).n;
      dropStates.run(keep);
      dropKeys.run(keep);
      dropStatuses.run(keep);
      return { gone, folded };
    }).immediate;
    this.foldTransaction = db.transaction(() => this.foldInTransaction()).immediate;
    // One read transaction: the three tables as of one moment (another process may fold in between otherwise).
    this.loadTransaction = db.transaction(() => this.load());
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

  statesInOrder(monitors: readonly string[]): Array<ReadonlyMap<string, SubjectState>> {
    const cache = this.cachedStates();
    const states = new Array<ReadonlyMap<string, SubjectState>>(monitors.length);
    cache.inOrder(monitors, states, EMPTY_STATES);
    return states;
  }

  /**
   * Inside the round's IMMEDIATE transaction. The write lock is held, so no other
   * connection can commit until this one ends, and the cache — reloaded first if another
   * connection committed since it was read (PRAGMA data_version) — is the database's
   * truth: every version the commit names is compared with it, and any difference refuses
   * the whole commit (StaleStateError, rolled back) before anything is written. The states
   * then go to the journal as one row.
   */
  write(round: RoundCommit): void {
    const cache = this.cachedStates();
    const stale: Array<{ monitor: string; subject: string }> = [];
    // Indexed loops here and in committed(): once a round over 10,000 states, where for-of allocates per step.
    const writes = round.states;
    const ids = new Array<number>(writes.length);
    cache.rewind();
    for (let i = 0; i < writes.length; i++) {
      const w = writes[i]!;
      // A number the table cannot hold is refused now, not left in a journal no fold could ever write.
      if (
        !Number.isFinite(w.value) ||
        (w.previous !== null && !Number.isFinite(w.previous)) ||
        !Number.isFinite(w.checkedAt) ||
        !Number.isSafeInteger(w.version)
      )
        throw new Error(
          `the state of ${w.monitor}/${w.subject} is not storable (value ${w.value}, previous ${w.previous}, checked at ${w.checkedAt}, version ${w.version}): every number must be finite`,
        );
      const at = cache.locate(w.monitor);
      const states = at === undefined ? undefined : cache.at(at);
      const current = states?.get(w.subject);
      if ((current?.version ?? 0) !== w.version - 1) stale.push({ monitor: w.monitor, subject: w.subject });
      ids[i] = current === undefined ? -1 : states!.idOf(w.subject)!;
    }
    const forgets = round.forget ?? [];
    for (const gone of forgets) {
      if ((cache.get(gone.monitor)?.get(gone.subject)?.version ?? 0) !== gone.expectedVersion) stale.push({ monitor: gone.monitor, subject: gone.subject });
    }
    if (stale.length > 0) throw new StaleStateError(stale);
    // A subject new to the cache gets its key (the same one again if a forget left it).
    for (let i = 0; i < writes.length; i++) if (ids[i] === -1) ids[i] = this.insertKey.get(writes[i]!.monitor, writes[i]!.subject)!;
    // Forgets apply after the writes: a subject this commit writes and forgets is forgotten too.
    const forgetIds: number[] = [];
    for (const gone of forgets) {
      let id = cache.get(gone.monitor)?.idOf(gone.subject);
      for (let i = writes.length - 1; id === undefined && i >= 0; i--)
        if (writes[i]!.monitor === gone.monitor && writes[i]!.subject === gone.subject) id = ids[i];
      if (id !== undefined) forgetIds.push(id);
    }
    let bytes = 0;
    // Rows of at most STATES_PER_ROW states, in order; the forgets go with the last (after every write, as they apply).
    for (let from = 0; from < writes.length || (from === 0 && forgetIds.length > 0); from += STATES_PER_ROW) {
      const to = Math.min(writes.length, from + STATES_PER_ROW);
      const body = this.encoder.encode(writes, ids, to === writes.length ? forgetIds : NO_IDS, from, to);
      this.appendJournal.run(body);
      bytes += body.length;
    }
    this.pending = { ids, bytes };
    const known = this.monitorStatuses();
    // The same status object at the same place as in the last commit, with no status changed
    // since (the same map), is the stored one: a round plan shares its 'ok' statuses, so a
    // quiet round compares pointers instead of looking 10,000 (or 1,000,000) monitors up; and
    // when every check passed the round gives the plan's list itself, recognised whole.
    const given = round.statuses;
    const last = this.lastStatuses !== null && this.lastStatuses.known === known ? this.lastStatuses.given : NO_STATUSES;
    const statuses: MonitorStatus[] = [];
    for (let i = given === last ? given.length : 0; i < given.length; i++) {
      const status = given[i]!;
      if (i < last.length && last[i] === status) continue;
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
    // A copy, unless frozen (a plan's list): the caller's array is its own. Trusted only after this commit (see committed()).
    this.lastStatuses = null;
    this.pendingStatuses = { given: Object.isFrozen(given) ? given : given.slice(), known: this.statusCache! };
  }

  /** After the transaction committed: the cache reflects it. */
  committed(round: RoundCommit): void {
    const cache = this.stateCache;
    if (cache === null) return;
    const { ids, bytes } = this.pending;
    this.pending = { ids: [], bytes: 0 };
    this.lastStatuses = this.pendingStatuses;
    this.pendingStatuses = null;
    if (bytes > 0) {
      this.journalCommits++;
      this.journalBytes += bytes;
      this.ownRows++;
    }
    // Copy on write: a map already handed out (a round's read) never changes under its reader.
    // A round's writes come grouped by monitor, so each monitor's map is replaced once.
    const writes = round.states;
    cache.rewind();
    let i = 0;
    while (i < writes.length) {
      const monitor = writes[i]!.monitor;
      let end = i + 1;
      while (end < writes.length && writes[end]!.monitor === monitor) end++;
      const at = cache.locate(monitor);
      const before = at === undefined ? undefined : cache.at(at);
      if (end === i + 1 && (before === undefined || (before.size === 1 && before.has(writes[i]!.subject)))) {
        // One subject before and after (most monitors): no Map.
        cache.setAt(at, monitor, new OneState(writes[i]!, ids[i]!));
      } else {
        const states = StateMap.copyOf(before);
        for (let j = i; j < end; j++) states.put(writes[j]!, ids[j]!);
        cache.setAt(at, monitor, states);
      }
      i = end;
    }
    for (const gone of round.forget ?? []) {
      const states = cache.get(gone.monitor);
      if (states?.has(gone.subject)) {
        const copy = StateMap.copyOf(states);
        copy.drop(gone.subject);
        cache.set(gone.monitor, copy);
        this.tombstones.push({ monitor: gone.monitor, subject: gone.subject });
      }
    }
  }

  /** Whether the journal has gathered enough to fold (see FOLD_AFTER_COMMITS). */
  foldDue(): boolean {
    return this.journalCommits >= FOLD_AFTER_COMMITS || this.journalBytes >= FOLD_AFTER_BYTES;
  }

  /**
   * Folds the journal into state_folded now, in its own transaction (the write lock is taken
   * first). Nothing to do — no journal — takes no lock and reads no state. `wait: false` (the
   * idle moment) gives up at once when another process holds the lock, rather than blocking
   * the event loop for the busy timeout: the next idle moment tries again.
   */
  fold(options: { wait?: boolean } = {}): void {
    if (this.journalExists.get() === 0) {
      this.journalCommits = 0;
      this.journalBytes = 0;
      this.ownRows = 0;
      return;
    }
    const timeout = options.wait === false ? (this.db.pragma('busy_timeout', { simple: true }) as number) : null;
    if (timeout !== null) this.db.pragma('busy_timeout = 0');
    // A failed fold rolls back and leaves the cache as true as before (it changes only the
    // folded flags, after the commit): no reload, which at 1,000,000 states takes seconds.
    try {
      this.foldTransaction()();
    } finally {
      if (timeout !== null) this.db.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /** At close: folds what this connection wrote (a command that wrote no state leaves the service's journal alone). */
  foldOwn(): void {
    if (this.ownRows > 0) this.fold();
  }

  /** Drops the states and statuses of monitors not in `monitors`; returns how many monitors. */
  forgetExcept(monitors: readonly string[]): number {
    const keep = JSON.stringify(monitors);
    let result: { gone: number; folded: () => void };
    try {
      result = this.forgetTransaction(keep);
    } catch (error) {
      this.invalidate();
      throw error;
    }
    if (result.gone > 0) this.invalidate();
    else result.folded();
    return result.gone;
  }

  /** After a failed transaction nothing cached can be trusted. */
  invalidate(): void {
    this.stateCache = null;
    this.statusCache = null;
    this.lastStatuses = null;
    this.pendingStatuses = null;
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

  /**
   * Inside a transaction holding the write lock: writes every state the journal changed
   * into state_folded, deletes the forgotten ones (and their keys), empties the journal. Returns what to do
   * once the transaction has committed (mark the cache folded).
   */
  private foldInTransaction(): () => void {
    const cache = this.cachedStates();
    if (this.journalCommits === 0 && this.tombstones.length === 0) return () => {};
    for (const gone of this.tombstones) {
      // Written again after it was forgotten: the write below replaces the row, and the key stays.
      if (cache.get(gone.monitor)?.has(gone.subject)) continue;
      this.deleteState.run(gone.monitor, gone.subject);
      this.deleteKey.run(gone.monitor, gone.subject);
    }
    const sets: StateSet[] = [];
    const rows: SubjectState[] = [];
    cache.forEach((states) => {
      if (states.folded) return;
      sets.push(states);
      states.forEach((state) => rows.push(state));
    });
    this.upsertStates.run(rows);
    this.clearJournal.run();
    return () => {
      for (let i = 0; i < sets.length; i++) sets[i]!.folded = true;
      this.tombstones = [];
      this.journalCommits = 0;
      this.journalBytes = 0;
      this.ownRows = 0;
    };
  }

  private cachedStates(): StateCache {
    const version = this.dataVersion.get() as number;
    if (this.stateCache === null || version !== this.cachedVersion) {
      // The version is read before the snapshot: a commit in between only makes the next call load again.
      this.stateCache = this.loadTransaction();
      this.cachedVersion = version;
    }
    return this.stateCache;
  }

  /** state_folded, with the journal applied over it in commit order (inside loadTransaction: one snapshot). */
  private load(): StateCache {
    const building = new Map<string, StateMap>();
    const setOf = (monitor: string) => {
      let states = building.get(monitor);
      if (states === undefined) building.set(monitor, (states = new StateMap()));
      return states;
    };
    for (const row of this.selectAllStates.all()) {
      if (row.id === null)
        throw new StoreError(
          'STORE_DAMAGED',
          `the state of ${row.monitor}/${row.subject} has no state key; restore the state database from a backup, or move it aside to start with an empty state`,
        );
      const states = setOf(row.monitor);
      states.put(toState(row.monitor, row.subject, row), row.id);
      states.folded = true;
    }
    const journal = this.selectJournal.all();
    this.tombstones = [];
    this.journalCommits = journal.length;
    this.journalBytes = 0;
    if (journal.length > 0) {
      const keys = new Map<number, KeyRow>();
      for (const key of this.selectKeys.all()) keys.set(key.id, key);
      const keyOf = (seq: number, id: number) => {
        const key = keys.get(id);
        if (key === undefined)
          throw new StoreError(
            'STORE_DAMAGED',
            `state journal row ${seq} names state key ${id}, which the state database does not have; restore it from a backup, or move it aside to start with an empty state`,
          );
        return key;
      };
      for (const { seq, body } of journal) {
        this.journalBytes += body.length;
        decodeJournal(
          seq,
          body,
          (w: JournalWrite) => {
            const key = keyOf(seq, w.id);
            const states = setOf(key.monitor);
            states.put(toState(key.monitor, key.subject, w), w.id);
            states.folded = false;
          },
          (id) => {
            const key = keyOf(seq, id);
            const states = setOf(key.monitor);
            states.drop(key.subject);
            states.folded = false;
            this.tombstones.push({ monitor: key.monitor, subject: key.subject });
          },
        );
      }
    }
    // Most monitors have one subject: the small read-only map, as a commit would leave them.
    const cache = new StateCache();
    building.forEach((states, monitor) => {
      if (states.size !== 1) return cache.set(monitor, states);
      const [subject, state] = states.entries().next().value as [string, SubjectState];
      const one = new OneState(state, states.idOf(subject)!);
      one.folded = states.folded;
      return cache.set(monitor, one);
    });
    return cache;
  }
}

interface StateRow {
  id: number | null;
  monitor: string;
  subject: string;
  value: number;
  previous: number | null;
  armed: number;
  checked_at: number;
  version: number;
  alert: string | null;
}

interface KeyRow {
  id: number;
  monitor: string;
  subject: string;
}

interface JournalRow {
  seq: number;
  body: Buffer;
}

interface StatusRow {
  monitor: string;
  last_round: number;
  last_checked_at: number;
  last_result: string;
  last_error: string | null;
}

/** A state from a state_folded row or a journal entry. */
function toState(monitor: string, subject: string, row: StateRow | JournalWrite): SubjectState {
  const alert = row.alert === null ? null : parseAlertMemory(row.alert);
  const isRow = 'checked_at' in row;
  const state: SubjectState = {
    monitor,
    subject,
    value: row.value,
    previous: row.previous,
    armed: isRow ? row.armed === 1 : row.armed,
    checkedAt: isRow ? row.checked_at : row.checkedAt,
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
