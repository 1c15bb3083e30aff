/**
 * @module store/sqlite/open — opening the database file: pragmas and migrations.
 *
 * WAL journal with synchronous=FULL: a committed round survives `kill -9` and power
 * loss, and an interrupted one leaves no trace.
 */
import { closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError } from '../errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from './migrations/index.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Accept an existing empty (0-byte) file as a new database instead of refusing it. */
  fresh?: boolean;
}

/** Opens (creating and migrating as needed) the database at `path`; ':memory:' for tests. */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:') prepareFile(path, options);
  let db: Db;
  try {
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    // 4 MB of page cache, not better-sqlite3's 16 MB: the service's hot pages (states, the
    // outbox's head) fit, the operating system caches the rest of the file, and the resident
    // size of a 10,000-monitor service drops by ~20 MB (liquidation queries over 3.5 M rows
    // measured the same either way).
    db.pragma('cache_size = -4000');
  } catch (error) {
    throw new StoreError('STORE_OPEN', `cannot open the state database ${path}: ${(error as Error).message}; pass --state PATH or set ASTERWATCH_STATE`);
  }
  try {
    migrate(db, path);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/**
 * The file the database lives in: created readable by its owner only (it holds what the
 * monitors watch, and portfolio values); an existing empty file is refused, since SQLite
 * would silently start over on it (once-alerts would fire again, pending deliveries be lost).
 */
function prepareFile(path: string, options: OpenOptions): void {
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new StoreError(
      'STORE_OPEN',
      `cannot create the directory for the state database ${path}: ${(error as Error).message}; pass --state PATH or set ASTERWATCH_STATE`,
    );
  }
  if (!existsSync(path)) {
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError('STORE_OPEN', `cannot create the state database ${path}: ${(error as Error).message}; pass --state PATH or set ASTERWATCH_STATE`);
      }
    }
    return;
  }
  if (statSync(path).size === 0 && options.fresh !== true) {
    throw new StoreError(
      'STORE_EMPTY',
      `the state database ${path} is an empty file: it may have been truncated, and starting on it would forget once-alerts and pending deliveries; restore it from a backup, or pass --fresh-state to start with an empty state`,
    );
  }
}

/** Applies every migration newer than the database's version, each in its own transaction. */
export function migrate(db: Db, path: string, target = SCHEMA_VERSION): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SCHEMA_VERSION) {
    throw new StoreError(
      'STORE_TOO_NEW',
      `the state database ${path} was written by a newer asterwatch (schema ${current}, this version knows ${SCHEMA_VERSION}); upgrade asterwatch or point --state elsewhere`,
    );
  }
  for (const migration of MIGRATIONS) {
    if (migration.version <= current || migration.version > target) continue;
    // SQLite's way to rebuild a referenced table: foreign keys off around the transaction,
    // and every reference checked before it commits.
    if (migration.rebuild === true) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(migration.sql);
        if (migration.rebuild === true && (db.pragma('foreign_key_check') as unknown[]).length > 0)
          throw new StoreError(
            'STORE_MIGRATION',
            `migrating the state database ${path} to schema ${migration.version} found a reference between its tables that does not hold (foreign_key_check); nothing was changed: report it, with the file`,
          );
        db.pragma(`user_version = ${migration.version}`);
      })();
    } finally {
      if (migration.rebuild === true) db.pragma('foreign_keys = ON');
    }
  }
}

/** Runs `fn` without waiting for fsync: for writes whose loss on power failure is harmless (acks, claims). */
export function relaxed<T>(db: Db, fn: () => T): T {
  db.pragma('synchronous = NORMAL');
  try {
    return fn();
  } finally {
    db.pragma('synchronous = FULL');
  }
}
