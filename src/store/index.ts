/**
 * @module store — the only place that remembers: state, outbox, event history.
 */
export { SqliteStore, openDatabase, migrate, type Db } from './sqlite.js';
export { SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js';
export { StoreError } from './errors.js';
export type * from './model.js';
export type { EventQuery } from './event-queries.js';
