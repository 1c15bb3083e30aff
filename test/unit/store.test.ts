import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import { marketEvent } from '../../src/modes/market/index.js';
import { SqliteStore, StoreError } from '../../src/store/index.js';
import { migrate, SCHEMA_VERSION } from '../../src/store/sqlite/index.js';

const event = (subject: string, roundTime: number) =>
  marketEvent(
    { monitor: 'm', condition: '> 1', severity: SEVERITY.low, roundTime, checkedAt: new Date(roundTime) },
    { asset: subject, symbol: `${subject}USDT`, current: 2, previous: 1 },
  );

function userVersion(path: string): number {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

describe('the SQLite store', () => {
  it('migrates a database written by an older version, keeping its state', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db');
    const old = new Database(path);
    migrate(old, path, 1); // as version 1 left it: state only
    old.prepare('INSERT INTO subject_state VALUES (?, ?, ?, ?, ?, ?)').run('m', 'BTC', 64000, 60000, 0, 123);
    old.close();

    const store = SqliteStore.open(path);
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
    expect([...(await store.statesOf('m')).values()]).toEqual([
      { monitor: 'm', subject: 'BTC', value: 64000, previous: 60000, armed: false, checkedAt: 123, version: 1 },
    ]);
    expect(await store.outbox.summary()).toEqual([]);
    await store.close();
  });

  it('refuses a database from a newer version instead of guessing', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db');
    const future = new Database(path);
    future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    future.close();
    expect(() => SqliteStore.open(path)).toThrow(StoreError);
    expect(() => SqliteStore.open(path)).toThrow(/written by a newer asterwatch/);
  });

  it('writes a round atomically and does not duplicate the events of a re-run round', async () => {
    const store = SqliteStore.open(':memory:');
    const round = (expectedVersion: number) => ({
      roundTime: 1000,
      checkedAt: 1000,
      states: [{ monitor: 'm', subject: 'BTC', value: 2, previous: 1, armed: false, checkedAt: 1000, version: expectedVersion + 1 }],
      statuses: [{ monitor: 'm', result: 'ok' as const, error: null }],
      events: [{ event: event('BTC', 1000), monitor: 'm', severity: 0.15, sinks: ['stdout', 'hook'] }],
    });
    expect(await store.commit(round(0))).toHaveLength(1);
    expect(await store.commit(round(1))).toHaveLength(0);
    expect(await store.events.count()).toBe(1);
    expect((await store.outbox.summary()).map((s) => [s.sink, s.pending])).toEqual([
      ['hook', 1],
      ['stdout', 1],
    ]);
    expect((await store.monitorStatuses()).get('m')).toEqual({ monitor: 'm', lastRound: 1000, lastCheckedAt: 1000, lastResult: 'ok', lastError: null });
    await store.close();
  });

  it('rolls back the whole round when any write fails', async () => {
    const store = SqliteStore.open(':memory:');
    const bad = {
      roundTime: 1000,
      checkedAt: 1000,
      states: [{ monitor: 'm', subject: 'BTC', value: 2, previous: 1, armed: false, checkedAt: 1000, version: 1 }],
      statuses: [],
      events: [{ event: event('BTC', 1000), monitor: 'm', severity: 0.15, sinks: ['a', 'a'] }], // duplicate delivery key
    };
    await expect(store.commit(bad)).rejects.toThrow(StoreError);
    expect((await store.statesOf('m')).size).toBe(0);
    expect(await store.events.count()).toBe(0);
    await store.close();
  });

  it('writes a monitor status only when the result changes, and knows the last round from the state', async () => {
    const store = SqliteStore.open(':memory:');
    let version = 0;
    const round = async (t: number, result: 'ok' | 'error') => {
      await store.commit({
        roundTime: t,
        checkedAt: t + 5,
        states: result === 'ok' ? [{ monitor: 'm', subject: 'BTC', value: 1, previous: null, armed: true, checkedAt: t + 5, version: version + 1 }] : [],
        statuses: [{ monitor: 'm', result, error: result === 'ok' ? null : 'down' }],
        events: [],
      });
      if (result === 'ok') version++;
    };
    await round(1000, 'ok');
    await round(2000, 'ok');
    expect((await store.monitorStatuses()).get('m')?.lastRound).toBe(1000);
    expect(await store.lastRoundOf('m')).toBe(2005);
    await round(3000, 'error');
    expect((await store.monitorStatuses()).get('m')).toMatchObject({ lastRound: 3000, lastResult: 'error', lastError: 'down' });
    expect(await store.lastRoundOf('m')).toBe(3000);
    await store.close();
  });

  it('sees state written by another connection (a check beside the service)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db');
    const service = SqliteStore.open(path);
    expect((await service.statesOf('m')).size).toBe(0);
    const check = SqliteStore.open(path);
    await check.commit({
      roundTime: 1,
      checkedAt: 1,
      states: [{ monitor: 'm', subject: 'BTC', value: 7, previous: null, armed: false, checkedAt: 1, version: 1 }],
      statuses: [],
      events: [],
    });
    await check.close();
    expect((await service.statesOf('m')).get('BTC')).toMatchObject({ value: 7, armed: false });
    await service.close();
  });
});
