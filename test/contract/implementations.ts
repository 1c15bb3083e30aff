/**
 * Every Store implementation the contract suites run against, each opened fresh per test and
 * closed (its files removed) after it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { MemoryStore, SqliteStore, type Store } from '../../src/store/index.js';

/** `[name, open]` pairs for `describe.each`; registers the clean-up with the calling file. */
export function storeImplementations(prefix: string): Array<[string, () => Store]> {
  const opened: Store[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return [
    [
      'SQLite',
      () => {
        const dir = mkdtempSync(join(tmpdir(), prefix));
        dirs.push(dir);
        const store = SqliteStore.open(join(dir, 'state.db'));
        opened.push(store);
        return store;
      },
    ],
    [
      'in-memory',
      () => {
        const store = new MemoryStore();
        opened.push(store);
        return store;
      },
    ],
  ];
}
