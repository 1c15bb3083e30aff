/**
 * @module store/sqlite/checkpoint — copying the write-ahead log into the database after a
 * round's commit rather than inside it.
 *
 * Why: SQLite checkpoints automatically when a commit leaves the log past 1,000 pages, inside
 * that commit: a storm's commit also copied 7–9 MB of log into the database (15–25 ms of a
 * 10,000-event round, measured). Here the automatic threshold is raised to 10,000 pages (40 MB:
 * still a bound if nothing else runs) and a passive checkpoint follows each commit once the
 * round's own work is done (a macrotask after it), at most once a second. A passive
 * checkpoint never waits for a reader and never blocks a writer; what it cannot copy now, the
 * next one does. Durability does not depend on it: a committed transaction is in the log.
 */
import type { Db } from './open.js';

/** SQLite's automatic checkpoint, kept as a backstop (pages of 4 KiB). */
export const AUTOCHECKPOINT_PAGES = 10_000;
/**
 * What the log file is cut back to once a checkpoint has emptied it. Without a limit SQLite
 * reuses the file from its start but never shrinks it: one storm (or a burst of liquidations)
 * left a log of its peak size on disk for the database's life.
 */
export const LOG_SIZE_LIMIT_BYTES = 32 * 1024 * 1024;
const MIN_INTERVAL_MS = 1000;

export class DeferredCheckpoint {
  private timer: NodeJS.Timeout | null = null;
  private last = 0;

  constructor(
    private readonly db: Db,
    logSizeLimit = LOG_SIZE_LIMIT_BYTES,
    /** Other work for the same idle moment, before the checkpoint (folding the state journal). */
    private readonly idleWork?: () => void,
  ) {
    db.pragma(`wal_autocheckpoint = ${AUTOCHECKPOINT_PAGES}`);
    db.pragma(`journal_size_limit = ${Math.trunc(logSizeLimit)}`);
  }

  /** After a commit: one checkpoint soon, after the caller's own continuation has run. */
  schedule(): void {
    // An in-memory database has no log to copy, but may have idle work.
    if (this.timer !== null || (this.db.memory && this.idleWork === undefined)) return;
    const wait = Math.max(0, this.last + MIN_INTERVAL_MS - Date.now());
    this.timer = setTimeout(() => this.run(), wait);
    this.timer.unref();
  }

  cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** The checkpoint now (what the timer would do): for benchmarks, which run rounds back to back. */
  now(): void {
    this.cancel();
    this.run();
  }

  private run(): void {
    this.timer = null;
    this.last = Date.now();
    if (!this.db.open) return;
    try {
      this.idleWork?.();
    } catch {
      // Busy (another process holds the write lock) or failing: the next idle moment tries again.
    }
    try {
      if (!this.db.memory) this.db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // Busy or closing: the next commit schedules another, and SQLite's own is the backstop.
    }
  }
}
