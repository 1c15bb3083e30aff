/**
 * @module store/sqlite — the SQLite store and its schema (for tests that inspect a file).
 */
export { SqliteStore } from './sqlite-store.js';
export { openDatabase, migrate, type Db } from './open.js';
export { SCHEMA_VERSION, MIGRATIONS } from './migrations/index.js';
