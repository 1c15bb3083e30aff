import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { marketEvent } from '../../src/events/index.js';
import { SEVERITY } from '../../src/condition/index.js';
import { migrate, SCHEMA_VERSION, SqliteStore, StoreError } from '../../src/store/index.js';

const event = (subject: string, roundTime: number) =>
  marketEvent({ monitor: 'm', condition: '> 1', severity: SEVERITY.low, roundTime, checkedAt: new Date(roundTime) }, { asset: subject, symbol: `${subject}USDT`, current: 2, previous: 1 });

describe('the SQLite store', () => {
  it('migrates a database written by an older version, keeping its state', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db');
    const old = new Database(path);
    migrate(old, path, 1); // as version 1 left it: state only
    old.prepare('INSERT INTO subject_state VALUES (?, ?, ?, ?, ?, ?)').run('m', 'BTC', 64000, 60000, 0, 123);
    old.close();

    const store = SqliteStore.open(path);
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect([...store.statesOf('m').values()]).toEqual([{ monitor: 'm', subject: 'BTC', value: 64000, previous: 60000, armed: false, checkedAt: 123 }]);
    expect(store.outbox.summary()).toEqual([]);
    store.close();
  });

  it('refuses a database from a newer version instead of guessing', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db');
    const future = new Database(path);
    future.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    future.close();
    expect(() => SqliteStore.open(path)).toThrow(StoreError);
    expect(() => SqliteStore.open(path)).toThrow(/written by a newer asterwatch/);
  });

  it('writes a round atomically and does not duplicate the events of a re-run round', () => {
    const store = SqliteStore.open(':memory:');
    const round = {
      roundTime: 1000,
      checkedAt: 1000,
      states: [{ monitor: 'm', subject: 'BTC', value: 2, previous: 1, armed: false, checkedAt: 1000 }],
      statuses: [{ monitor: 'm', result: 'ok' as const, error: null }],
      events: [{ event: event('BTC', 1000), monitor: 'm', severity: 0.15, sinks: ['stdout', 'hook'] }],
    };
    expect(store.commitRound(round)).toHaveLength(1);
    expect(store.commitRound(round)).toHaveLength(0);
    expect(store.events.count()).toBe(1);
    expect(store.outbox.summary().map((s) => [s.sink, s.pending])).toEqual([['hook', 1], ['stdout', 1]]);
    expect(store.monitorStatuses()[0]).toMatchObject({ monitor: 'm', lastRound: 1000, checks: 2, failures: 0 });
    store.close();
  });

  it('rolls back the whole round when any write fails', () => {
    const store = SqliteStore.open(':memory:');
    const bad = {
      roundTime: 1000,
      checkedAt: 1000,
      states: [{ monitor: 'm', subject: 'BTC', value: 2, previous: 1, armed: false, checkedAt: 1000 }],
      statuses: [],
      events: [{ event: event('BTC', 1000), monitor: 'm', severity: 0.15, sinks: ['a', 'a'] }], // duplicate delivery key
    };
    expect(() => store.commitRound(bad)).toThrow(StoreError);
    expect(store.statesOf('m').size).toBe(0);
    expect(store.events.count()).toBe(0);
    store.close();
  });

  it('keeps a bounded number of samples per subject', () => {
    const store = SqliteStore.open(':memory:');
    for (let i = 0; i < 300; i++) {
      store.commitRound({ roundTime: i, checkedAt: i, states: [{ monitor: 'm', subject: 'BTC', value: i, previous: null, armed: true, checkedAt: i }], statuses: [], events: [] });
    }
    const samples = store.samples('m', 'BTC');
    expect(samples).toHaveLength(288);
    expect(samples.at(-1)).toEqual({ time: 299, value: 299 });
    store.close();
  });
});
