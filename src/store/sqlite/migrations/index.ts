/**
 * @module store/sqlite/migrations — the schema's history, applied in order, never edited once released.
 *
 * `PRAGMA user_version` records the version a database is at. A new version is a new
 * file and one line here; an old database is migrated forward on open, never discarded.
 */
import { up as v1 } from './001-state.js';
import { up as v2 } from './002-outbox.js';
import { up as v3 } from './003-versions-claims.js';
import { up as v4 } from './004-liquidations.js';
import { up as v5 } from './005-readings.js';
import { up as v6 } from './006-alert-lifecycle.js';
import { up as v7 } from './007-silences.js';
import { rebuild as v8rebuild, up as v8 } from './008-event-slots.js';
import { up as v9 } from './009-state-journal.js';

/** `rebuild`: the migration rebuilds a table others refer to, so it runs with foreign keys off (checked after). */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string; rebuild?: boolean }> = [
  { version: 1, sql: v1 },
  { version: 2, sql: v2 },
  { version: 3, sql: v3 },
  { version: 4, sql: v4 },
  { version: 5, sql: v5 },
  { version: 6, sql: v6 },
  { version: 7, sql: v7 },
  { version: 8, sql: v8, rebuild: v8rebuild },
  { version: 9, sql: v9 },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
