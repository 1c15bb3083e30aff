/**
 * @module store — the only place that remembers: state, outbox, event history.
 */
export type { Store, EventStore, OutboxStore, ClaimOptions, StoreHealth } from './store.js';
export { StoreError, StaleStateError } from './errors.js';
export type * from './model.js';
export type * from './liquidations.js';
export type { Reading, ReadingStore } from './readings.js';
export { mutes, type Silence, type SilenceStore } from './silences.js';
export { MemoryStore } from './memory/memory-store.js';
export { SqliteStore } from './sqlite/sqlite-store.js';
export { openStore } from './open-store.js';
export type { CachedKline, KlineCache } from './kline-cache.js';
export { SqliteKlineCache } from './sqlite/kline-cache.js';
export { MemoryKlineCache } from './memory/memory-kline-cache.js';
