import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import { marketEvent } from '../../src/modes/market/index.js';
import { SqliteStore, StoreError } from '../../src/store/index.js';
import { DeferredCheckpoint, LOG_SIZE_LIMIT_BYTES } from '../../src/store/sqlite/checkpoint.js';
import { migrate, openDatabase, SCHEMA_VERSION } from '../../src/store/sqlite/index.js';

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

  it('migrates events to the (slot, id) key: seqs, deliveries and the highest seq kept; an id stored before still not duplicated', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db');
    const old = new Database(path);
    old.pragma('foreign_keys = ON');
    migrate(old, path, 7); // events unique by id alone
    const legacy = event('BTC', 60_000);
    const insert = old.prepare('INSERT INTO events (seq, id, monitor, subject, type, severity, time, created_at, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    insert.run(1, legacy.id, 'm', 'BTC', legacy.type, 0.15, legacy.time, 60_000, JSON.stringify(legacy));
    const other = event('ETH', 60_000);
    insert.run(2, other.id, 'm', 'ETH', other.type, 0.15, other.time, 60_000, JSON.stringify(other));
    old.prepare("INSERT INTO deliveries (event_seq, sink, status, next_attempt_at) VALUES (1, 'hook', 'pending', 0), (2, 'hook', 'done', 0)").run();
    old.prepare("UPDATE sqlite_sequence SET seq = 40 WHERE name = 'events'").run(); // the newest were pruned
    old.close();

    const store = SqliteStore.open(path);
    expect(userVersion(path)).toBe(SCHEMA_VERSION);
    expect((await store.events.after(0, 10)).map((e) => [e.seq, e.event])).toEqual([
      [1, legacy],
      [2, other],
    ]);
    expect(await store.events.lastSeq()).toBe(40);
    const claim = await store.outbox.claim('hook', { limit: 10, leaseMs: 1000, now: 1 });
    expect(claim.deliveries.map((d) => [d.seq, d.event.id])).toEqual([[1, legacy.id]]);
    // The same event raised again (a re-run of its round) is known; a new one continues after 40.
    const again = await store.commit({
      roundTime: 60_000,
      checkedAt: 61_000,
      states: [],
      statuses: [],
      events: [
        { event: event('BTC', 60_000), monitor: 'm', severity: 0.15, sinks: ['hook'] },
        { event: event('BTC', 120_000), monitor: 'm', severity: 0.15, sinks: ['hook'] },
      ],
    });
    expect(again.map((e) => [e.seq, e.event.id])).toEqual([[41, event('BTC', 120_000).id]]);
    await store.close();
    const check = new Database(path, { readonly: true });
    expect(check.pragma('foreign_key_check')).toEqual([]);
    // Rows from before keep the unknown slot; a new event is keyed by its id's round time.
    expect(check.prepare('SELECT seq, slot FROM events ORDER BY seq').all()).toEqual([
      { seq: 1, slot: -1 },
      { seq: 2, slot: -1 },
      { seq: 41, slot: 120_000 },
    ]);
    check.close();
  });

  it("lists a monitor's newest events across days, in seq order even when a commit crossed midnight out of order", async () => {
    const store = SqliteStore.open(':memory:');
    const DAY = 86_400_000;
    // [monitor, created at]: three days; seq 6 was committed just before midnight after seq 5 just after it.
    const layout: Array<[string, number]> = [
      ['m', 1 * DAY + 5],
      ['n', 1 * DAY + 6],
      ['m', 2 * DAY + 5],
      ['m', 4 * DAY - 10],
      ['m', 4 * DAY + 10],
      ['m', 4 * DAY - 5],
      ['n', 4 * DAY + 20],
    ];
    const seqs: number[] = [];
    for (const [i, [monitor, at]] of layout.entries()) {
      const stored = await store.commit({
        roundTime: i,
        checkedAt: at,
        states: [],
        statuses: [],
        events: [{ event: event(`S${i}`, i), monitor, severity: 0.15, sinks: [] }],
      });
      seqs.push(stored[0]!.seq);
    }
    const of = async (query: { limit: number; since?: number; before?: number }) =>
      (await store.events.recent({ monitor: 'm', ...query })).map((e) => seqs.indexOf(e.seq));
    expect(await of({ limit: 10 })).toEqual([5, 4, 3, 2, 0]);
    expect(await of({ limit: 2 })).toEqual([5, 4]);
    expect(await of({ limit: 3, before: seqs[4] })).toEqual([3, 2, 0]);
    expect(await of({ limit: 10, since: 2 * DAY })).toEqual([5, 4, 3, 2]);
    expect(await store.events.recent({ monitor: 'zzz', limit: 5 })).toEqual([]);
    await store.close();
  });

  it('copies the write-ahead log into the database after a commit, not inside it, within about a second', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db');
    const store = SqliteStore.open(path);
    const before = statSync(path).size;
    const events = Array.from({ length: 500 }, (_, i) => ({ event: event(`S${i}`, 60_000), monitor: 'm', severity: 0.15, sinks: ['hook'] }));
    await store.commit({ roundTime: 60_000, checkedAt: 60_000, states: [], statuses: [], events });
    // Right after the commit the rows are in the log only (the automatic checkpoint is far off)...
    expect(statSync(path).size).toBe(before);
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(100_000);
    // ...and soon after, in the database file.
    const deadline = Date.now() + 5000;
    while (statSync(path).size === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(statSync(path).size).toBeGreaterThan(before + 100_000);
    expect(await store.events.count()).toBe(500);
    await store.close();
  });

  it('cuts the write-ahead log back once a checkpoint has emptied it: a burst does not leave a log of its peak size', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db');
    const db = openDatabase(path);
    const checkpoint = new DeferredCheckpoint(db, 256 * 1024);
    db.exec('CREATE TABLE burst (body TEXT)');
    const insert = db.prepare('INSERT INTO burst VALUES (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run('x'.repeat(1000));
    })();
    expect(statSync(`${path}-wal`).size).toBeGreaterThan(2_000_000);
    checkpoint.now();
    insert.run('after'); // the first write after a complete checkpoint restarts the log, and cuts the file
    expect(statSync(`${path}-wal`).size).toBeLessThanOrEqual(256 * 1024);
    checkpoint.cancel();
    db.close();
    // The store's own limit.
    const store = openDatabase(join(mkdtempSync(join(tmpdir(), 'aw-')), 'state.db'));
    new DeferredCheckpoint(store).cancel();
    expect(store.pragma('journal_size_limit', { simple: true })).toBe(LOG_SIZE_LIMIT_BYTES);
    store.close();
  });

  it('does not store twice an event copied without its slot (keyed -1) whose id is stored with one', async () => {
    const store = SqliteStore.open(':memory:');
    const built = event('BTC', 60_000);
    const raise = (e: typeof built) =>
      store.commit({ roundTime: 60_000, checkedAt: 60_000, states: [], statuses: [], events: [{ event: e, monitor: 'm', severity: 0.15, sinks: ['hook'] }] });
    expect(await raise(built)).toHaveLength(1);
    expect(await raise({ ...built })).toEqual([]);
    expect(await store.events.count()).toBe(1);
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
