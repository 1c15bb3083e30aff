/**
 * @module store/sqlite/sqlite-store — the default store: one SQLite file (WAL, synchronous=FULL).
 *
 * better-sqlite3 is synchronous; its calls are short (a round's transaction is a few
 * multi-row statements), so the async interface resolves at once.
 */
import { StaleStateError, StoreError } from '../errors.js';
import type { MonitorStatus, PruneResult, RoundCommit, StoredEvent, SubjectState } from '../model.js';
import type { Store, StoreHealth } from '../store.js';
import { DeferredCheckpoint } from './checkpoint.js';
import { SqliteEvents } from './events.js';
import { SqliteLiquidations } from './liquidations.js';
import { openDatabase, type Db, type OpenOptions } from './open.js';
import { SqliteOutbox } from './outbox.js';
import { SqlitePrune } from './prune.js';
import { SqliteReadings } from './readings.js';
import { SqliteSilences } from './silences.js';
import { SqliteStates } from './states.js';

export class SqliteStore implements Store {
  readonly events: SqliteEvents;
  readonly outbox: SqliteOutbox;
  readonly liquidations: SqliteLiquidations;
  readonly readings: SqliteReadings;
  readonly silences: SqliteSilences;
  private readonly states: SqliteStates;
  private readonly pruner: SqlitePrune;
  private readonly checkpoint: DeferredCheckpoint;
  private readonly commitTransaction: (round: RoundCommit) => StoredEvent[];
  /** The outcome of the last commit: readiness reports it without touching the database. */
  private lastWrite: StoreHealth = { ok: true, error: null };

  private constructor(
    private readonly db: Db,
    readonly location: string,
  ) {
    this.events = new SqliteEvents(db);
    this.outbox = new SqliteOutbox(db);
    this.states = new SqliteStates(db);
    // The state journal is folded in the same idle moment as the checkpoint, once enough has gathered.
    this.checkpoint = new DeferredCheckpoint(db, undefined, () => {
      if (this.states.foldDue()) this.states.fold({ wait: false });
    });
    this.liquidations = new SqliteLiquidations(db, () => this.checkpoint.schedule());
    this.readings = new SqliteReadings(db);
    this.silences = new SqliteSilences(db);
    this.pruner = new SqlitePrune(db);
    // IMMEDIATE: the write lock is taken before the versions are compared (see SqliteStates.write).
    this.commitTransaction = db.transaction((round: RoundCommit) => {
      this.states.write(round);
      return this.events.record(round.events, round.checkedAt);
    }).immediate;
  }

  /** Opens (creating and migrating) the database file; ':memory:' for a throwaway database. */
  static open(path: string, options: OpenOptions = {}): SqliteStore {
    return new SqliteStore(openDatabase(path, options), path);
  }

  async statesOf(monitor: string): Promise<ReadonlyMap<string, SubjectState>> {
    return this.states.statesOf(monitor);
  }

  async statesOfMany(monitors: readonly string[]): Promise<Map<string, ReadonlyMap<string, SubjectState>>> {
    return this.states.statesOfMany(monitors);
  }

  async statesInOrder(monitors: readonly string[]): Promise<Array<ReadonlyMap<string, SubjectState>>> {
    return this.states.statesInOrder(monitors);
  }

  async monitorStatuses(): Promise<ReadonlyMap<string, MonitorStatus>> {
    return this.states.monitorStatuses();
  }

  async lastRoundOf(monitor: string): Promise<number | null> {
    return this.states.lastRoundOf(monitor);
  }

  async commit(round: RoundCommit): Promise<StoredEvent[]> {
    try {
      const stored = this.commitTransaction(round);
      this.states.committed(round);
      this.lastWrite = { ok: true, error: null };
      this.checkpoint.schedule();
      return stored;
    } catch (error) {
      this.states.invalidate();
      if (error instanceof StaleStateError) throw error;
      const message = `could not write the round to the state database ${this.location}: ${(error as Error).message}`;
      this.lastWrite = { ok: false, error: message };
      throw new StoreError('STORE_WRITE', message, error);
    }
  }

  async prune(before: number): Promise<PruneResult> {
    return this.pruner.run(before);
  }

  async forgetMonitorsExcept(monitors: readonly string[]): Promise<number> {
    return this.states.forgetExcept(monitors);
  }

  async health(): Promise<StoreHealth> {
    return this.db.open ? this.lastWrite : { ok: false, error: 'the state database is closed' };
  }

  /**
   * Copies the write-ahead log into the database now, as the service does after each commit
   * once the round is done (see DeferredCheckpoint): benchmarks that run rounds back to back
   * call it between rounds, where the service's idle time would be.
   */
  checkpointNow(): void {
    this.checkpoint.now();
  }

  /**
   * Folds the state journal into state_folded now (what idle time does every 30 commits):
   * for benchmarks, which print it apart from the rounds.
   */
  foldNow(): void {
    this.states.fold();
  }

  /** Folds what this connection journaled first, so the states' table alone is the states once closed (a reopen reads no journal). */
  async close(): Promise<void> {
    this.checkpoint.cancel();
    if (!this.db.open) return;
    try {
      this.states.foldOwn();
    } catch {
      // Busy (another writer holds the lock past busy_timeout): the journal stays, as after kill -9, and is read on open.
    }
    this.db.close();
  }
}
