import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SqliteStore, StoreError, type GuardedStateWrite, type SubjectState } from '../../src/store/index.js';
import { migrate } from '../../src/store/sqlite/index.js';
import { decodeJournal, JournalEncoder, STATES_PER_ROW, type JournalWrite } from '../../src/store/sqlite/state-journal.js';
import { FOLD_AFTER_COMMITS } from '../../src/store/sqlite/states.js';

// A commit writes its states as one journal row (src/store/sqlite/state-journal.ts), folded into
// subject_state outside rounds. What a reader sees must not depend on whether a fold happened.

const dbPath = () => join(mkdtempSync(join(tmpdir(), 'aw-journal-')), 'state.db');

const write = (monitor: string, subject: string, value: number, version: number, extra: Partial<SubjectState> = {}): GuardedStateWrite => ({
  monitor,
  subject,
  value,
  previous: version === 1 ? null : value - 1,
  armed: version % 2 === 0,
  checkedAt: version * 60_000,
  version,
  ...extra,
});

const commit = (store: SqliteStore, states: GuardedStateWrite[], forget: Array<{ monitor: string; subject: string; expectedVersion: number }> = []) =>
  store.commit({ roundTime: states[0]?.checkedAt ?? 1, checkedAt: states[0]?.checkedAt ?? 1, states, forget, statuses: [], events: [] });

/** Every state, as a reader of the store sees them. */
async function everything(store: SqliteStore, monitors: string[]): Promise<Record<string, SubjectState[]>> {
  const many = await store.statesOfMany(monitors);
  return Object.fromEntries(monitors.map((m) => [m, [...many.get(m)!.values()].sort((a, b) => a.subject.localeCompare(b.subject))]));
}

/** The tables themselves, read by a connection of its own. */
function tables(path: string): { states: unknown[]; journal: number; keys: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    return {
      states: db.prepare('SELECT monitor, subject, value, previous, armed, checked_at, version, alert FROM subject_state ORDER BY monitor, subject').all(),
      journal: (db.prepare('SELECT COUNT(*) AS n FROM state_journal').get() as { n: number }).n,
      keys: db.prepare('SELECT monitor, subject FROM state_key ORDER BY monitor, subject').all(),
    };
  } finally {
    db.close();
  }
}

describe('the state journal', () => {
  it('encodes and decodes every field: null previous, armed, an alert memory in UTF-8, and the forgets after the writes', () => {
    const encoder = new JournalEncoder();
    const alert = { firingSince: 120_000, sentAt: null, severity: 0.75, severityLabel: 'élevé ⚠' };
    const writes: SubjectState[] = [
      { monitor: 'm', subject: 'BTC', value: 64_000.5, previous: null, armed: true, checkedAt: 60_000, version: 1 },
      { monitor: 'm', subject: 'ETH', value: -0, previous: 3000.25, armed: false, checkedAt: 60_000, version: 2 ** 40, alert },
      { monitor: 'n', subject: 'SOL', value: 1e-12, previous: 0, armed: false, checkedAt: 61_000, version: 7, alert: null },
    ];
    const body = Buffer.from(encoder.encode(writes, [3, 9, 2 ** 31], [5, 6]));
    const seen: JournalWrite[] = [];
    const forgotten: number[] = [];
    decodeJournal(
      1,
      body,
      (w) => seen.push(w),
      (id) => forgotten.push(id),
    );
    expect(seen).toEqual([
      { id: 3, value: 64_000.5, previous: null, armed: true, checkedAt: 60_000, version: 1, alert: null },
      { id: 9, value: -0, previous: 3000.25, armed: false, checkedAt: 60_000, version: 2 ** 40, alert: JSON.stringify(alert) },
      { id: 2 ** 31, value: 1e-12, previous: 0, armed: false, checkedAt: 61_000, version: 7, alert: null },
    ]);
    expect(forgotten).toEqual([5, 6]);
    // The encoder reuses its buffer, and grows it for a larger round.
    const many = Array.from({ length: 5000 }, (_, i) => ({ ...writes[0]!, value: i }));
    let count = 0;
    decodeJournal(
      2,
      encoder.encode(
        many,
        many.map((_, i) => i + 1),
        [],
      ),
      (w) => {
        expect(w.value).toBe(count++);
      },
      () => {},
    );
    expect(count).toBe(5000);
  });

  it('refuses a damaged row with an error naming it, never a made-up state', () => {
    const body = Buffer.from(new JournalEncoder().encode([write('m', 'BTC', 1, 1)], [1], []));
    const decode = (b: Buffer) => () =>
      decodeJournal(
        42,
        b,
        () => {},
        () => {},
      );
    expect(decode(body.subarray(0, 10))).toThrow(/state journal row 42 is damaged/);
    expect(decode(body.subarray(0, body.length - 1))).toThrow(StoreError);
    const future = Buffer.from(body);
    future.writeUInt32LE(2, 0);
    expect(decode(future)).toThrow(/format 2/);
  });

  it('keeps what a process committed when it is killed before any fold (SIGKILL), with every field', async () => {
    const path = dbPath();
    const writer = fileURLToPath(new URL('../support/journal-writer.mjs', import.meta.url));
    const output = await new Promise<string>((resolve) => execFile(process.execPath, [writer, path, '3'], (_error, stdout) => resolve(stdout)));
    expect(output).toBe('committed\n');
    // Nothing was folded: subject_state is empty, the three rounds are three journal rows.
    expect(tables(path)).toMatchObject({ states: [], journal: 3 });

    const store = SqliteStore.open(path);
    const states = await store.statesOf('m7');
    expect([...states.values()]).toEqual([
      {
        monitor: 'm7',
        subject: 'BTC',
        value: 3007.25,
        previous: 2007.25,
        armed: true,
        checkedAt: 180_000,
        version: 3,
        alert: { firingSince: 180_000, sentAt: null, severity: 0.5, severityLabel: 'médium' },
      },
    ]);
    expect((await store.statesOf('m5')).get('É€')).toEqual({
      monitor: 'm5',
      subject: 'É€',
      value: 3005.25,
      previous: 2005.25,
      armed: true,
      checkedAt: 180_000,
      version: 3,
    });
    // The next round goes on from there: version 3 is what a commit must name.
    await commit(store, [write('m5', 'É€', 4005.25, 4)]);
    await expect(commit(store, [write('m5', 'É€', 1, 4)])).rejects.toThrow(/changed since it was read/);
    await store.close();
    expect(tables(path).journal).toBe(0);
  });

  it('reads the same before a fold, after it, and after a reopen; the fold leaves subject_state exact and the journal empty', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    const monitors = ['one', 'many'];
    for (let v = 1; v <= 4; v++)
      await commit(store, [
        write('one', 'BTC', 100 + v, v),
        write('many', 'BTC', 200 + v, v, v === 3 ? { alert: { firingSince: 1, sentAt: 2, severity: 0.5, severityLabel: 'medium' } } : {}),
        write('many', 'ETH', 300 + v, v),
      ]);
    const before = await everything(store, monitors);
    expect(before.many!.map((s) => [s.subject, s.version, s.value])).toEqual([
      ['BTC', 4, 204],
      ['ETH', 4, 304],
    ]);
    expect(tables(path)).toMatchObject({ states: [], journal: 4 });

    // Another connection (a `check` beside the service) reads the journal over subject_state.
    const other = SqliteStore.open(path);
    expect(await everything(other, monitors)).toEqual(before);

    store.foldNow();
    const folded = tables(path);
    expect(folded.journal).toBe(0);
    expect(folded.states).toEqual([
      { monitor: 'many', subject: 'BTC', value: 204, previous: 203, armed: 1, checked_at: 240_000, version: 4, alert: null },
      { monitor: 'many', subject: 'ETH', value: 304, previous: 303, armed: 1, checked_at: 240_000, version: 4, alert: null },
      { monitor: 'one', subject: 'BTC', value: 104, previous: 103, armed: 1, checked_at: 240_000, version: 4, alert: null },
    ]);
    expect(await everything(store, monitors)).toEqual(before);
    // The other connection sees the fold as another writer's commit, and reads the same states.
    expect(await everything(other, monitors)).toEqual(before);
    // It writes on from there; the first connection sees its write.
    await commit(other, [write('one', 'BTC', 105, 5)]);
    expect((await store.statesOf('one')).get('BTC')).toMatchObject({ value: 105, version: 5 });
    await other.close();
    await store.close();
    const reopened = SqliteStore.open(path);
    expect((await everything(reopened, monitors)).many).toEqual(before.many);
    expect((await reopened.statesOf('one')).get('BTC')).toMatchObject({ value: 105, version: 5 });
    await reopened.close();
  });

  it('forgets a subject through the journal: gone after a reopen without a fold, and its row and key gone at the fold; written again, it stays', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    await commit(store, [write('m', 'BTC', 1, 1), write('m', 'ETH', 2, 1), write('m', 'SOL', 3, 1)]);
    store.foldNow();
    await commit(store, [write('m', 'BTC', 4, 2)], [{ monitor: 'm', subject: 'ETH', expectedVersion: 1 }]);
    await commit(store, [], [{ monitor: 'm', subject: 'SOL', expectedVersion: 1 }]);
    await commit(store, [write('m', 'SOL', 9, 1)]); // SOL starts again at version 1
    const seen = () => store.statesOf('m').then((s) => [...s.values()].map((x) => [x.subject, x.value, x.version]).sort());
    expect(await seen()).toEqual([
      ['BTC', 4, 2],
      ['SOL', 9, 1],
    ]);
    const other = SqliteStore.open(path);
    expect([...(await other.statesOf('m')).keys()].sort()).toEqual(['BTC', 'SOL']);
    other.foldNow(); // another connection folds: the journal is applied and emptied
    await other.close();
    const after = tables(path);
    expect(after.journal).toBe(0);
    expect(after.states.map((s) => (s as { subject: string }).subject)).toEqual(['BTC', 'SOL']);
    expect(after.keys).toEqual([
      { monitor: 'm', subject: 'BTC' },
      { monitor: 'm', subject: 'SOL' },
    ]);
    // The first connection reloads (another connection's fold) and still agrees.
    expect(await seen()).toEqual([
      ['BTC', 4, 2],
      ['SOL', 9, 1],
    ]);
    await store.close();
  });

  it('gives each new subject its own key in a large first commit: every state reads back as its own after a reopen', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    await commit(store, [write('m0', 'BTC', -1, 1)]);
    // 1,003 monitors of two subjects, one of them known already, and one subject written twice
    // in the commit (one key, the last wins).
    const states = Array.from({ length: 1003 }, (_, i) => [write(`m${i}`, 'BTC', i * 2, i === 0 ? 2 : 1), write(`m${i}`, 'ETH', i * 2 + 1, 1)]).flat();
    states.push(write('m7', 'ETH', 99_999, 1));
    await commit(store, states);
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT id) AS ids FROM state_key').get()).toEqual({ n: 2006, ids: 2006 });
    db.close();
    const reader = SqliteStore.open(path);
    for (let i = 0; i < 1003; i++) {
      const read = await reader.statesOf(`m${i}`);
      expect([read.get('BTC')?.value, read.get('ETH')?.value]).toEqual([i * 2, i === 7 ? 99_999 : i * 2 + 1]);
    }
    await reader.close();
    await store.close();
  });

  it('splits a large commit into rows of bounded size, in order, with its forgets after all its writes', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    await commit(store, [write('m', 'OLD', 1, 1)]);
    store.foldNow();
    const many = Array.from({ length: STATES_PER_ROW + 5 }, (_, i) => write(`m${i}`, 'BTC', i, 1));
    many.push(write('m', 'OLD', 2, 2)); // in the last row: written, then forgotten below
    await commit(store, many, [{ monitor: 'm', subject: 'OLD', expectedVersion: 1 }]);
    expect(tables(path).journal).toBe(2);
    const reader = SqliteStore.open(path);
    expect((await reader.statesOf(`m${STATES_PER_ROW + 4}`)).get('BTC')).toMatchObject({ value: STATES_PER_ROW + 4, version: 1 });
    expect((await reader.statesOf('m0')).get('BTC')).toMatchObject({ value: 0, version: 1 });
    expect((await reader.statesOf('m')).size).toBe(0);
    await reader.close(); // it wrote nothing: the journal stays for the writer
    expect(tables(path).journal).toBe(2);
    await store.close();
    expect(tables(path).states).toHaveLength(STATES_PER_ROW + 5);
  });

  it('drops removed monitors with their journal rows and keys, keeping the others', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    await commit(store, [write('keep', 'BTC', 1, 1), write('gone', 'BTC', 2, 1)]);
    await commit(store, [write('keep', 'BTC', 3, 2), write('gone', 'BTC', 4, 2)]);
    expect(await store.forgetMonitorsExcept(['keep'])).toBe(1);
    expect(tables(path)).toEqual({
      states: [{ monitor: 'keep', subject: 'BTC', value: 3, previous: 2, armed: 1, checked_at: 120_000, version: 2, alert: null }],
      journal: 0,
      keys: [{ monitor: 'keep', subject: 'BTC' }],
    });
    expect((await store.statesOf('gone')).size).toBe(0);
    await commit(store, [write('gone', 'BTC', 5, 1)]); // a monitor added back starts over
    await store.close();
    const reopened = SqliteStore.open(path);
    expect((await reopened.statesOf('gone')).get('BTC')).toMatchObject({ value: 5, version: 1 });
    await reopened.close();
  });

  it('is folded in the idle moment after a commit once it holds enough rounds, so what a restart reads stays bounded', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    for (let v = 1; v < FOLD_AFTER_COMMITS; v++) {
      await commit(store, [write('m', 'BTC', v, v)]);
      store.checkpointNow(); // the idle moment, as the service has it between rounds
    }
    expect(tables(path).journal).toBe(FOLD_AFTER_COMMITS - 1);
    await commit(store, [write('m', 'BTC', FOLD_AFTER_COMMITS, FOLD_AFTER_COMMITS)]);
    // The service's own timer, within about a second.
    const deadline = Date.now() + 5000;
    while (tables(path).journal > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(tables(path)).toMatchObject({ journal: 0, states: [expect.objectContaining({ value: FOLD_AFTER_COMMITS, version: FOLD_AFTER_COMMITS })] });
    await store.close();
  });

  it('gives every state of a database from before the journal its key, and goes on from it', async () => {
    const path = dbPath();
    const old = new Database(path);
    migrate(old, path, 8);
    old
      .prepare('INSERT INTO subject_state (monitor, subject, value, previous, armed, checked_at, version, alert) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run('m', 'BTC', 64_000, 63_000, 1, 60_000, 7, null);
    old.close();
    const store = SqliteStore.open(path);
    expect((await store.statesOf('m')).get('BTC')).toEqual({
      monitor: 'm',
      subject: 'BTC',
      value: 64_000,
      previous: 63_000,
      armed: true,
      checkedAt: 60_000,
      version: 7,
    });
    await commit(store, [write('m', 'BTC', 65_000, 8)]);
    await store.close();
    expect(tables(path)).toMatchObject({
      journal: 0,
      keys: [{ monitor: 'm', subject: 'BTC' }],
      states: [expect.objectContaining({ value: 65_000, version: 8 })],
    });
  });

  it('refuses to make up states from a journal row naming a key it does not have', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    await commit(store, [write('m', 'BTC', 1, 1)]);
    const db = new Database(path);
    db.prepare('DELETE FROM state_key').run();
    db.close();
    const reader = SqliteStore.open(path);
    await expect(reader.statesOf('m')).rejects.toThrow(/state journal row \d+ names state key \d+/);
    await reader.close();
    await store.close();
  });

  it('reads the states, the journal and the keys as of one moment: a fold by another process in between is neither damage nor a mix', async () => {
    const path = dbPath();
    const a = SqliteStore.open(path);
    await commit(a, [write('m', 'X', 1, 1), write('m', 'Y', 2, 1)]);
    a.foldNow();
    await commit(a, [], [{ monitor: 'm', subject: 'X', expectedVersion: 1 }]); // the journal forgets X
    const b = SqliteStore.open(path);
    // Another process folds right after b has read the journal (the fold deletes X's row and key).
    const states = (b as unknown as { states: { selectJournal: { all: () => unknown[] } } }).states;
    const real = states.selectJournal;
    let once = true;
    states.selectJournal = {
      all: () => {
        const rows = real.all();
        if (once) {
          once = false;
          a.foldNow();
          void commit(a, [write('m', 'Z', 3, 1)]); // a new subject may get X's key again
        }
        return rows;
      },
    };
    expect([...(await b.statesOf('m')).keys()].sort()).toEqual(['Y']); // as of b's snapshot
    expect([...(await b.statesOf('m')).keys()].sort()).toEqual(['Y', 'Z']); // and then the newer commits
    await b.close();
    await a.close();
  });

  it('forgets a subject written and forgotten in the same commit, for every reader (the forgets apply after the writes)', async () => {
    const path = dbPath();
    const a = SqliteStore.open(path);
    await commit(a, [write('m', 'X', 1, 1), write('m', 'Y', 2, 1)], [{ monitor: 'm', subject: 'X', expectedVersion: 0 }]);
    expect([...(await a.statesOf('m')).keys()]).toEqual(['Y']);
    const b = SqliteStore.open(path); // another process, or a restart after kill -9
    expect([...(await b.statesOf('m')).keys()]).toEqual(['Y']);
    await b.close();
    await a.close();
    expect(tables(path).keys).toEqual([{ monitor: 'm', subject: 'Y' }]);
  });

  it('refuses at commit a state its table could not hold (NaN, Infinity), writing nothing, so the journal can always be folded', async () => {
    const path = dbPath();
    const a = SqliteStore.open(path);
    await commit(a, [write('m', 'OK', 1, 1)]);
    for (const bad of [{ value: NaN }, { previous: Infinity }, { checkedAt: NaN }, { version: 1.5 }])
      await expect(commit(a, [write('m', 'X', 1, 1, bad as Partial<SubjectState>)])).rejects.toMatchObject({
        code: 'STORE_WRITE',
        message: expect.stringMatching(/the state of m\/X is not storable .*every number must be finite/),
      });
    expect([...(await a.statesOf('m')).keys()]).toEqual(['OK']);
    expect(tables(path).journal).toBe(1);
    a.foldNow();
    await a.close();
    expect(tables(path)).toMatchObject({ journal: 0, states: [expect.objectContaining({ subject: 'OK' })] });
  });

  it('folds on close only what the closing connection wrote: a command that wrote no state leaves the journal to the service', async () => {
    const path = dbPath();
    const service = SqliteStore.open(path);
    await commit(service, [write('m', 'BTC', 1, 1)]);
    const command = SqliteStore.open(path); // `silence add`, `outbox list`: reads, writes no state
    expect((await command.statesOf('m')).get('BTC')).toMatchObject({ version: 1 });
    await command.close();
    expect(tables(path).journal).toBe(1);
    await service.close();
    expect(tables(path).journal).toBe(0);
  });

  it('keeps subject_state readable as a view, and makes a process of an older version fail loudly when it writes states', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    await commit(store, [write('m', 'BTC', 1, 1)]);
    await store.close();
    const db = new Database(path);
    try {
      expect(db.prepare('SELECT monitor, subject, version FROM subject_state').all()).toEqual([{ monitor: 'm', subject: 'BTC', version: 1 }]);
      // What schema 8's code ran every round.
      expect(() =>
        db
          .prepare(
            'INSERT OR REPLACE INTO subject_state (monitor, subject, value, previous, armed, checked_at, version, alert) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
          )
          .run('m', 'BTC', 2, 1, 1, 2, 2, null),
      ).toThrow(/cannot modify subject_state because it is a view/);
    } finally {
      db.close();
    }
  });

  it('gives up the idle fold at once while another process holds the write lock, and folds at a later idle moment', async () => {
    const path = dbPath();
    const store = SqliteStore.open(path);
    for (let v = 1; v <= FOLD_AFTER_COMMITS; v++) await commit(store, [write('m', 'BTC', v, v)]);
    const other = new Database(path);
    other.prepare('BEGIN IMMEDIATE').run();
    const started = Date.now();
    store.checkpointNow(); // the idle moment: the fold is due, the lock is not free
    expect(Date.now() - started).toBeLessThan(1000); // not SQLite's 5 s busy timeout
    other.prepare('COMMIT').run();
    other.close();
    expect(tables(path).journal).toBe(FOLD_AFTER_COMMITS);
    expect((await store.statesOf('m')).get('BTC')).toMatchObject({ version: FOLD_AFTER_COMMITS });
    store.checkpointNow();
    expect(tables(path)).toMatchObject({ journal: 0, states: [expect.objectContaining({ version: FOLD_AFTER_COMMITS })] });
    await store.close();
  });
});
