/**
 * A round whose checks all passed gives its plan's frozen list of 'ok' statuses, the same array
 * each round, and the store skips it whole (issue 16: no comparison or copy per monitor). The
 * statuses stored must stay what comparing status by status gives: written once, a failure in
 * between and its recovery written, a status another writer changed corrected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore, type RoundCommit } from '../../src/store/index.js';

const ok = Object.freeze(['a', 'b'].map((monitor) => Object.freeze({ monitor, result: 'ok' as const, error: null })));
const round = (t: number, statuses: RoundCommit['statuses']): RoundCommit => ({ roundTime: t, checkedAt: t + 1, states: [], statuses, events: [] });
const summary = async (store: SqliteStore) =>
  Object.fromEntries([...(await store.monitorStatuses())].map(([m, s]) => [m, `${s.lastResult}@${s.lastRound}${s.lastError ? `: ${s.lastError}` : ''}`]));

let dir: string | null = null;
afterEach(() => {
  if (dir !== null) rmSync(dir, { recursive: true, force: true });
  dir = null;
});

describe("the plan's shared 'ok' statuses", () => {
  it('are written once, then skipped whole; a failure in between is written and its recovery too', async () => {
    const store = SqliteStore.open(':memory:');
    await store.commit(round(60_000, ok));
    expect(await summary(store)).toEqual({ a: 'ok@60000', b: 'ok@60000' });
    await store.commit(round(120_000, ok));
    expect(await summary(store)).toEqual({ a: 'ok@60000', b: 'ok@60000' }); // unchanged: statuses are written on change
    await store.commit(round(180_000, [ok[0]!, { monitor: 'b', result: 'error', error: 'no price' }]));
    expect(await summary(store)).toEqual({ a: 'ok@60000', b: 'error@180000: no price' });
    await store.commit(round(240_000, ok));
    expect(await summary(store)).toEqual({ a: 'ok@60000', b: 'ok@240000' });
    await store.commit(round(300_000, ok));
    expect(await summary(store)).toEqual({ a: 'ok@60000', b: 'ok@240000' });
    await store.close();
  });

  it('a status another writer changed since is corrected by the next round, though it gives the same list', async () => {
    dir = mkdtempSync(join(tmpdir(), 'aw-status-memo-'));
    const path = join(dir, 'state.db');
    const service = SqliteStore.open(path);
    await service.commit(round(60_000, ok));
    await service.commit(round(120_000, ok));
    const other = SqliteStore.open(path); // a `check` beside the service
    await other.commit(round(130_000, [{ monitor: 'a', result: 'error', error: 'timeout' }]));
    await other.close();
    expect(await summary(service)).toEqual({ a: 'error@130000: timeout', b: 'ok@60000' });
    await service.commit(round(180_000, ok));
    expect(await summary(service)).toEqual({ a: 'ok@180000', b: 'ok@60000' });
    await service.close();
  });
});
