/**
 * @module store/open-store — choosing the store from a location.
 *
 * A path is a SQLite file (the default); `:memory:` is the in-memory store. A server
 * store will be chosen here by its URL scheme.
 */
import { MemoryStore } from './memory/memory-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

export function openStore(location: string, options: { fresh?: boolean } = {}): Store {
  if (location === ':memory:') return new MemoryStore();
  return SqliteStore.open(location, options);
}
