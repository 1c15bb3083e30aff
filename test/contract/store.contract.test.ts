/**
 * The store contract: one set of behavioural cases that every implementation of `Store`
 * (src/store/store.ts) must pass — SQLite on a real file and in memory, the in-memory
 * store, and any future server store (PostgreSQL). The cases follow the interface's
 * documented behaviour, not an implementation. Time is always passed in as `now`, so
 * nothing here waits.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SEVERITY } from '../../src/condition/index.js';
import type { AlertEvent } from '../../src/events/index.js';
import { marketEvent } from '../../src/modes/market/index.js';
import {
  MemoryStore,
  SqliteStore,
  StaleStateError,
  StoreError,
  type CheckResult,
  type GuardedStateWrite,
  type RaisedEvent,
  type RoundCommit,
  type Store,
  type StoredEvent,
} from '../../src/store/index.js';

/** A fresh store, and a way to open another connection to the same storage (the same instance where there is no such thing). */
interface Opened {
  store: Store;
  connect: () => Store;
}

const opened: Store[] = [];
const tempDirs: string[] = [];

function track<S extends Store>(store: S): S {
  opened.push(store);
  return store;
}

const IMPLEMENTATIONS: Array<[string, () => Opened]> = [
  [
    'SQLite (file)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'aw-contract-'));
      tempDirs.push(dir);
      const path = join(dir, 'state.db');
      return { store: track(SqliteStore.open(path)), connect: () => track(SqliteStore.open(path)) };
    },
  ],
  [
    'SQLite (:memory:)',
    () => {
      const store = track(SqliteStore.open(':memory:'));
      return { store, connect: () => store };
    },
  ],
  [
    'in-memory',
    () => {
      const store = track(new MemoryStore());
      return { store, connect: () => store };
    },
  ],
];

afterEach(async () => {
  for (const store of opened.splice(0)) await store.close();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------
// Building commits

let serial = 0;

/** A valid event with a unique id (the discriminator), raised by `monitor` at `at`. */
function event(monitor = 'm', subject = 'BTC', at = 1000): AlertEvent {
  return marketEvent(
    { monitor, condition: '> 1', severity: SEVERITY.low, roundTime: at, checkedAt: new Date(at), discriminator: `n${++serial}` },
    { asset: subject, symbol: `${subject}USDT`, current: 2, previous: 1 },
  );
}

function raised(e: AlertEvent, sinks: string[], monitor = 'm'): RaisedEvent {
  return { event: e, monitor, severity: SEVERITY.low.value, sinks };
}

function write(monitor: string, subject: string, expectedVersion: number, value: number, checkedAt = 1000): GuardedStateWrite {
  return { monitor, subject, value, previous: null, armed: value % 2 === 0, checkedAt, version: expectedVersion + 1 };
}

function status(monitor: string, result: CheckResult, error: string | null = null): RoundCommit['statuses'][number] {
  return { monitor, result, error };
}

function round(at: number, parts: Partial<Omit<RoundCommit, 'roundTime' | 'checkedAt'>> & { roundTime?: number } = {}): RoundCommit {
  return {
    roundTime: parts.roundTime ?? at,
    checkedAt: at,
    states: parts.states ?? [],
    forget: parts.forget ?? [],
    statuses: parts.statuses ?? [],
    events: parts.events ?? [],
  };
}

/** Records `n` events, each to `sinks`, at `at`; returns their seqs in raise order. */
async function raise(store: Store, n: number, sinks: string[], at = 1000, monitor = 'm'): Promise<number[]> {
  const events = Array.from({ length: n }, () => raised(event(monitor, 'BTC', at), sinks, monitor));
  const stored = await store.commit(round(at, { events }));
  expect(stored).toHaveLength(n);
  return stored.map((s) => s.seq);
}

const seqs = (events: readonly StoredEvent[]): number[] => events.map((e) => e.seq);

/** Everything observable about a store, to show that a refused call changed nothing. */
async function snapshot(store: Store, monitors: readonly string[] = ['m', 'n']) {
  const states = await store.statesOfMany(monitors);
  return {
    // Sorted: the order of a map's entries is not part of the contract.
    states: [...states].map(([monitor, subjects]) => [
      monitor,
      [...subjects.values()].map((s) => ({ ...s })).sort((x, y) => x.subject.localeCompare(y.subject)),
    ]),
    statuses: [...(await store.monitorStatuses()).values()].map((s) => ({ ...s })).sort((x, y) => x.monitor.localeCompare(y.monitor)),
    events: await store.events.recent({ limit: 1000 }),
    lastSeq: await store.events.lastSeq(),
    count: await store.events.count(),
    summary: await store.outbox.summary(),
    dead: await store.outbox.dead(1000),
    heads: await Promise.all(['a', 'b', 'c'].map((sink) => store.outbox.head(sink))),
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to be refused, but it succeeded');
}

function expectStale(error: unknown, subject: { monitor: string; subject: string }): void {
  expect(error).toBeInstanceOf(StaleStateError);
  expect(error).toBeInstanceOf(StoreError);
  expect((error as StaleStateError).code).toBe('STORE_STALE');
  expect((error as StaleStateError).subjects).toContainEqual(subject);
}

function summaryOf(summary: Awaited<ReturnType<Store['outbox']['summary']>>, sink: string) {
  const found = summary.find((s) => s.sink === sink);
  return found === undefined ? { pending: 0, dead: 0, done: 0 } : { pending: found.pending, dead: found.dead, done: found.done };
}

const LEASE = 1000;

/** Two writers (or deliverers): on one connection, or on two connections to the same storage. */
const CONNECTIONS: Array<[string, boolean]> = [
  ['on one connection', false],
  ['on two connections to the same storage', true],
];

// ---------------------------------------------------------------------------------------

describe.each(IMPLEMENTATIONS)('the %s store', (_name, open) => {
  describe('round commits', () => {
    it('writes the states, statuses, events and deliveries of one commit together', async () => {
      const { store } = open();
      const e1 = event('m', 'BTC', 1000);
      const e2 = event('n', 'ETH', 1000);
      const stored = await store.commit(
        round(1000, {
          states: [write('m', 'BTC', 0, 64000), write('n', 'ETH', 0, 3000)],
          statuses: [status('m', 'ok'), status('n', 'error', 'exchange down')],
          events: [raised(e1, ['a', 'b'], 'm'), raised(e2, ['a'], 'n')],
        }),
      );

      expect(stored.map((s) => s.event)).toEqual([e1, e2]);
      expect(stored[1]!.seq).toBeGreaterThan(stored[0]!.seq);
      expect([...(await store.statesOf('m')).values()]).toEqual([
        { monitor: 'm', subject: 'BTC', value: 64000, previous: null, armed: true, checkedAt: 1000, version: 1 },
      ]);
      expect((await store.statesOf('n')).get('ETH')).toMatchObject({ value: 3000, version: 1 });
      expect(Object.fromEntries(await store.monitorStatuses())).toEqual({
        m: { monitor: 'm', lastRound: 1000, lastCheckedAt: 1000, lastResult: 'ok', lastError: null },
        n: { monitor: 'n', lastRound: 1000, lastCheckedAt: 1000, lastResult: 'error', lastError: 'exchange down' },
      });
      expect(await store.events.recent({ limit: 10 })).toEqual([...stored].reverse());
      expect(await store.outbox.summary()).toEqual([
        { sink: 'a', pending: 2, dead: 0, done: 0, oldestPendingAt: 1000 },
        { sink: 'b', pending: 1, dead: 0, done: 0, oldestPendingAt: 1000 },
      ]);
    });

    const FAILURES: Array<[string, (e: AlertEvent) => Partial<RoundCommit>, (error: unknown) => void]> = [
      [
        'an event lists the same sink twice',
        (e) => ({ states: [write('m', 'BTC', 1, 2)], events: [raised(e, ['a', 'c', 'a'])] }),
        (error) => expect(error).toBeInstanceOf(StoreError),
      ],
      [
        'a state it read has changed since (stale version)',
        (e) => ({ states: [write('m', 'BTC', 0, 2)], events: [raised(e, ['a', 'c'])] }),
        (error) => expectStale(error, { monitor: 'm', subject: 'BTC' }),
      ],
      [
        'a subject it forgets has changed since (stale forget)',
        (e) => ({ states: [write('m', 'BTC', 1, 2)], forget: [{ monitor: 'n', subject: 'ETH', expectedVersion: 7 }], events: [raised(e, ['a', 'c'])] }),
        (error) => expectStale(error, { monitor: 'n', subject: 'ETH' }),
      ],
    ];

    it.each(FAILURES)('writes nothing at all when a commit fails because %s', async (_why, fault, check) => {
      const { store } = open();
      await store.commit(
        round(1000, {
          states: [write('m', 'BTC', 0, 1), write('n', 'ETH', 0, 1)],
          statuses: [status('m', 'ok'), status('n', 'ok')],
          events: [raised(event(), ['a', 'b'])],
        }),
      );
      const before = await snapshot(store);

      const e = event('m', 'SOL', 2000);
      const faulty = fault(e);
      const error = await rejection(
        store.commit(
          round(2000, {
            ...faulty,
            // Besides the fault, a new subject, a changed status and a new event: none may appear.
            states: [...(faulty.states ?? []), write('m', 'SOL', 0, 5, 2000)],
            statuses: [status('m', 'error', 'boom'), status('n', 'error', 'boom')],
          }),
        ),
      );

      check(error);
      expect(await snapshot(store)).toEqual(before);
      expect(await store.outbox.head('c')).toBeNull();

      // The store still works, and the event of the failed commit was never recorded: it is new now.
      const retried = await store.commit(round(3000, { states: [write('m', 'BTC', 1, 2, 3000)], events: [raised(e, ['c'])] }));
      expect(retried.map((s) => s.event.id)).toEqual([e.id]);
      expect((await store.statesOf('m')).get('BTC')?.version).toBe(2);
    });
  });

  describe('event ids', () => {
    it('returns an event whose id is already stored as not new, and adds no deliveries for it', async () => {
      const { store } = open();
      const first = event();
      const [seq] = seqs(await store.commit(round(1000, { events: [raised(first, ['a', 'b'])] })));

      const second = event();
      const again = await store.commit(round(2000, { events: [raised(first, ['a', 'c']), raised(second, ['a'])] }));

      expect(again.map((s) => s.event)).toEqual([second]);
      expect(again[0]!.seq).toBeGreaterThan(seq!);
      expect(await store.events.count()).toBe(2);
      const summary = await store.outbox.summary();
      expect([summaryOf(summary, 'a'), summaryOf(summary, 'b'), summaryOf(summary, 'c')]).toEqual([
        { pending: 2, dead: 0, done: 0 },
        { pending: 1, dead: 0, done: 0 },
        { pending: 0, dead: 0, done: 0 },
      ]);
      expect(await store.outbox.head('c')).toBeNull();
      expect((await store.events.recent({ limit: 10 })).find((s) => s.seq === seq)?.event).toEqual(first);
    });

    it('records an event raised twice in one commit once', async () => {
      const { store } = open();
      const e = event();
      const stored = await store.commit(round(1000, { events: [raised(e, ['a']), raised(e, ['a'])] }));
      expect(stored.map((s) => s.event.id)).toEqual([e.id]);
      expect(await store.events.count()).toBe(1);
      expect(summaryOf(await store.outbox.summary(), 'a').pending).toBe(1);
    });

    it('reports lastSeq 0 and count 0 when no event was ever recorded, and the newest seq and the total after', async () => {
      const { store } = open();
      expect(await store.events.lastSeq()).toBe(0);
      expect(await store.events.count()).toBe(0);
      expect(await store.events.recent({ limit: 10 })).toEqual([]);
      expect(await store.events.after(0, 10)).toEqual([]);
      const first = await raise(store, 2, ['a'], 1000);
      const second = await raise(store, 1, [], 2000);
      expect(second[0]).toBeGreaterThan(first[1]!);
      expect(first[1]).toBeGreaterThan(first[0]!);
      expect(await store.events.lastSeq()).toBe(second[0]);
      expect(await store.events.count()).toBe(3);
    });

    describe('reading events back', () => {
      // Recorded: m at 1000, n at 2000, m at 3000, m at 4000, n at 5000.
      const LAYOUT: Array<[string, number]> = [
        ['m', 1000],
        ['n', 2000],
        ['m', 3000],
        ['m', 4000],
        ['n', 5000],
      ];
      async function recordLayout(store: Store): Promise<number[]> {
        const out: number[] = [];
        for (const [monitor, at] of LAYOUT) out.push(...(await raise(store, 1, ['a'], at, monitor)));
        return out;
      }

      // Expected results as indexes into LAYOUT; `before` as an index too (its seq).
      const QUERIES: Array<[string, { monitor?: string; since?: number; beforeIndex?: number; limit: number }, number[]]> = [
        ['every event, newest first', { limit: 10 }, [4, 3, 2, 1, 0]],
        ['at most limit, the newest', { limit: 2 }, [4, 3]],
        ['one monitor', { monitor: 'm', limit: 10 }, [3, 2, 0]],
        ['a monitor with no events', { monitor: 'zzz', limit: 10 }, []],
        ['recorded at or after since', { since: 3000, limit: 10 }, [4, 3, 2]],
        ['with seq below before (a page cursor)', { beforeIndex: 3, limit: 10 }, [2, 1, 0]],
        ['monitor, since, before and limit together', { monitor: 'm', since: 1000, beforeIndex: 4, limit: 2 }, [3, 2]],
        ['since after the newest', { since: 5001, limit: 10 }, []],
      ];

      it.each(QUERIES)('recent() lists %s', async (_what, query, expected) => {
        const { store } = open();
        const recorded = await recordLayout(store);
        const { beforeIndex, ...rest } = query;
        const found = await store.events.recent({ ...rest, ...(beforeIndex === undefined ? {} : { before: recorded[beforeIndex]! }) });
        expect(seqs(found)).toEqual(expected.map((i) => recorded[i]));
      });

      it('after() lists the events after a seq, oldest first, at most limit', async () => {
        const { store } = open();
        const recorded = await recordLayout(store);
        expect(seqs(await store.events.after(0, 10))).toEqual(recorded);
        expect(seqs(await store.events.after(recorded[1]!, 2))).toEqual([recorded[2], recorded[3]]);
        expect(seqs(await store.events.after(recorded[4]!, 10))).toEqual([]);
        const [one] = await store.events.after(recorded[3]!, 10);
        expect(one?.event.data.monitor).toBe('n');
      });
    });
  });

  describe('compare-and-set on state', () => {
    it('creates a subject with expectedVersion 0 at version 1; every later write must name the version it read', async () => {
      const { store } = open();
      await store.commit(round(1000, { states: [write('m', 'BTC', 0, 1, 1000)] }));
      expect((await store.statesOf('m')).get('BTC')?.version).toBe(1);

      await store.commit(round(2000, { states: [{ ...write('m', 'BTC', 1, 2, 2000), previous: 1 }] }));
      expect((await store.statesOf('m')).get('BTC')).toEqual({ monitor: 'm', subject: 'BTC', value: 2, previous: 1, armed: true, checkedAt: 2000, version: 2 });

      for (const stale of [0, 1, 3]) {
        expectStale(await rejection(store.commit(round(3000, { states: [write('m', 'BTC', stale, 9, 3000)] }))), { monitor: 'm', subject: 'BTC' });
      }
      expect((await store.statesOf('m')).get('BTC')).toMatchObject({ value: 2, version: 2 });
    });

    it('refuses a write naming a version for a subject that has no state', async () => {
      const { store } = open();
      expectStale(await rejection(store.commit(round(1000, { states: [write('m', 'BTC', 1, 1)] }))), { monitor: 'm', subject: 'BTC' });
      expect((await store.statesOf('m')).size).toBe(0);
    });

    it('refuses a write guarded by the version read when another writer has forgotten the subject since', async () => {
      const { store, connect } = open();
      const other = connect();
      await store.commit(round(1000, { states: [write('m', 'BTC', 0, 1)] }));
      const read = (await store.statesOf('m')).get('BTC')!.version;
      await other.commit(round(1500, { forget: [{ monitor: 'm', subject: 'BTC', expectedVersion: 1 }] }));

      expectStale(await rejection(store.commit(round(2000, { states: [write('m', 'BTC', read, 2, 2000)] }))), { monitor: 'm', subject: 'BTC' });
      expect((await store.statesOf('m')).size).toBe(0);
      expect((await other.statesOf('m')).size).toBe(0);
    });

    it.each(CONNECTIONS)(
      'lets exactly one of two concurrent commits from the same version win %s; the loser writes nothing and succeeds after re-reading',
      async (_how, two) => {
        const { store, connect } = open();
        const writers = [store, two ? connect() : store] as const;
        await store.commit(round(1000, { states: [write('m', 'BTC', 0, 1)], statuses: [status('m', 'ok')] }));
        const versions = await Promise.all(writers.map(async (w) => (await w.statesOf('m')).get('BTC')!.version));
        expect(versions).toEqual([1, 1]);

        const events = [event('m', 'BTC', 2000), event('m', 'BTC', 2000)];
        const commits = [0, 1].map((i) =>
          round(2000, {
            states: [write('m', 'BTC', versions[i]!, 10 + i, 2000), write('m', `NEW${i}`, 0, 100 + i, 2000)],
            statuses: [status('m', 'error', `writer ${i}`)],
            events: [raised(events[i]!, ['a'])],
          }),
        );
        const outcomes = await Promise.allSettled([writers[0].commit(commits[0]!), writers[1].commit(commits[1]!)]);

        expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
        const winner = outcomes.findIndex((o) => o.status === 'fulfilled');
        const loser = 1 - winner;
        expectStale((outcomes[loser] as PromiseRejectedResult).reason, { monitor: 'm', subject: 'BTC' });

        for (const reader of writers) {
          const states = await reader.statesOf('m');
          expect(states.get('BTC')).toMatchObject({ value: 10 + winner, version: 2 });
          expect(states.has(`NEW${winner}`)).toBe(true);
          expect(states.has(`NEW${loser}`)).toBe(false);
          expect((await reader.monitorStatuses()).get('m')?.lastError).toBe(`writer ${winner}`);
          expect((await reader.events.recent({ limit: 10 })).map((s) => s.event.id)).toEqual([events[winner]!.id]);
          expect(summaryOf(await reader.outbox.summary(), 'a').pending).toBe(1);
        }

        // The loser reads again and evaluates again: now its commit names the new version.
        const reread = (await writers[loser]!.statesOf('m')).get('BTC')!.version;
        expect(reread).toBe(2);
        const again = await writers[loser]!.commit(
          round(3000, { states: [write('m', 'BTC', reread, 20, 3000), write('m', `NEW${loser}`, 0, 200, 3000)], events: [raised(events[loser]!, ['a'])] }),
        );
        expect(again.map((s) => s.event.id)).toEqual([events[loser]!.id]);
        for (const reader of writers) {
          expect((await reader.statesOf('m')).get('BTC')).toMatchObject({ value: 20, version: 3 });
          expect((await reader.statesOf('m')).get(`NEW${loser}`)).toMatchObject({ value: 200, version: 1 });
        }
      },
    );

    it('forgets a subject guarded by its version, refuses a stale forget, and a forgotten subject starts again at version 1', async () => {
      const { store } = open();
      await store.commit(round(1000, { states: [write('m', 'BTC', 0, 1), write('m', 'ETH', 0, 1)] }));
      await store.commit(round(2000, { states: [write('m', 'BTC', 1, 2, 2000)] }));

      expectStale(await rejection(store.commit(round(3000, { forget: [{ monitor: 'm', subject: 'BTC', expectedVersion: 1 }] }))), {
        monitor: 'm',
        subject: 'BTC',
      });
      expect((await store.statesOf('m')).get('BTC')?.version).toBe(2);

      await store.commit(round(3000, { forget: [{ monitor: 'm', subject: 'BTC', expectedVersion: 2 }] }));
      expect([...(await store.statesOf('m')).keys()]).toEqual(['ETH']);

      expectStale(await rejection(store.commit(round(4000, { forget: [{ monitor: 'm', subject: 'BTC', expectedVersion: 2 }] }))), {
        monitor: 'm',
        subject: 'BTC',
      });

      await store.commit(round(5000, { states: [write('m', 'BTC', 0, 7, 5000)] }));
      expect((await store.statesOf('m')).get('BTC')).toMatchObject({ value: 7, version: 1 });
    });

    it('hands out states as read: a later commit does not change a map already returned', async () => {
      const { store } = open();
      await store.commit(round(1000, { states: [write('m', 'BTC', 0, 1)], statuses: [status('m', 'ok')] }));
      const one = await store.statesOf('m');
      const many = await store.statesOfMany(['m']);
      const statuses = await store.monitorStatuses();

      await store.commit(round(2000, { states: [write('m', 'BTC', 1, 2, 2000), write('m', 'ETH', 0, 3, 2000)], statuses: [status('m', 'error', 'down')] }));

      for (const read of [one, many.get('m')!]) {
        expect(read.get('BTC')).toMatchObject({ value: 1, version: 1 });
        expect(read.has('ETH')).toBe(false);
      }
      expect(statuses.get('m')).toMatchObject({ lastResult: 'ok', lastError: null });
      expect((await store.statesOf('m')).get('BTC')).toMatchObject({ value: 2, version: 2 });
    });

    it('reads the states of several monitors at once, an empty map for a monitor with none', async () => {
      const { store } = open();
      await store.commit(round(1000, { states: [write('m', 'BTC', 0, 1), write('m', 'ETH', 0, 2), write('n', 'SOL', 0, 3)] }));
      const many = await store.statesOfMany(['m', 'n', 'none']);
      expect([...many.keys()].sort()).toEqual(['m', 'n', 'none']);
      expect([...many.get('m')!.keys()].sort()).toEqual(['BTC', 'ETH']);
      expect(many.get('n')!.get('SOL')).toMatchObject({ monitor: 'n', subject: 'SOL', value: 3, version: 1 });
      expect(many.get('none')!.size).toBe(0);
      expect((await store.statesOf('none')).size).toBe(0);
    });
  });

  describe('statuses', () => {
    it('writes a monitor status only when its result or error changes', async () => {
      const { store } = open();
      const STEPS: Array<[number, CheckResult, string | null, number]> = [
        // round time, result, error, the lastRound expected after it
        [1000, 'ok', null, 1000],
        [2000, 'ok', null, 1000],
        [3000, 'error', 'down', 3000],
        [4000, 'error', 'down', 3000],
        [5000, 'error', 'still down, differently', 5000],
        [6000, 'ok', null, 6000],
      ];
      for (const [at, result, error, lastRound] of STEPS) {
        await store.commit(round(at + 5, { roundTime: at, statuses: [status('m', result, error)] }));
        expect((await store.monitorStatuses()).get('m')).toEqual({
          monitor: 'm',
          lastRound,
          lastCheckedAt: lastRound + 5,
          lastResult: result,
          lastError: error,
        });
      }
      expect([...(await store.monitorStatuses()).keys()]).toEqual(['m']);
    });

    // A round plan gives the same frozen 'ok' status object every round: whatever happened to
    // the stored status in between (another connection, a refused commit), it is compared again.
    it('writes a status given as the same object again when the stored one changed since', async () => {
      const { store, connect } = open();
      const ok = Object.freeze(status('m', 'ok'));
      const other = connect();
      await store.commit(round(1000, { statuses: [ok, status('n', 'ok')] }));
      await other.commit(round(2000, { statuses: [status('m', 'error', 'from the other connection')] }));
      await store.commit(round(3000, { statuses: [ok, status('n', 'ok')] }));
      expect((await store.monitorStatuses()).get('m')).toMatchObject({ lastRound: 3000, lastResult: 'ok', lastError: null });
      // A commit refused as a whole changes nothing it was given.
      await store.commit(round(4000, { states: [write('m', 'BTC', 0, 1, 4000)], statuses: [ok] }));
      await expect(store.commit(round(5000, { states: [write('m', 'BTC', 0, 2, 5000)], statuses: [status('m', 'error', 'refused')] }))).rejects.toThrow();
      await store.commit(round(6000, { statuses: [ok] }));
      expect((await other.monitorStatuses()).get('m')).toMatchObject({ lastRound: 3000, lastResult: 'ok' });
      await store.commit(round(7000, { statuses: [status('m', 'error', 'down')] }));
      await store.commit(round(8000, { statuses: [ok] }));
      expect((await other.monitorStatuses()).get('m')).toMatchObject({ lastRound: 8000, lastResult: 'ok', lastError: null });
    });

    it('knows the last round of a monitor: the later of its status and its subjects checkedAt, null when unknown', async () => {
      const { store } = open();
      expect(await store.lastRoundOf('m')).toBeNull();

      await store.commit(round(1005, { roundTime: 1000, states: [write('m', 'BTC', 0, 1, 1005)], statuses: [status('m', 'ok')] }));
      expect(await store.lastRoundOf('m')).toBe(1005);

      // Unchanged status: only the state tells of the later round.
      await store.commit(round(2005, { roundTime: 2000, states: [write('m', 'BTC', 1, 2, 2005)], statuses: [status('m', 'ok')] }));
      expect((await store.monitorStatuses()).get('m')?.lastRound).toBe(1000);
      expect(await store.lastRoundOf('m')).toBe(2005);

      // A failed round writes no state: the status is the later.
      await store.commit(round(3005, { roundTime: 3000, statuses: [status('m', 'error', 'down')] }));
      expect(await store.lastRoundOf('m')).toBe(3000);

      // A monitor with a status and no state.
      await store.commit(round(4005, { roundTime: 4000, statuses: [status('n', 'error', 'bad config')] }));
      expect(await store.lastRoundOf('n')).toBe(4000);
      expect(await store.lastRoundOf('other')).toBeNull();
    });
  });

  describe('the outbox', () => {
    it('claims the due head of one sink in seq order, up to limit', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 5, ['a', 'b'], 1000);
      const claim = await store.outbox.claim('a', { limit: 3, leaseMs: LEASE, now: 1000 });

      expect(claim.token).toEqual(expect.any(String));
      expect(claim.token.length).toBeGreaterThan(0);
      expect(claim.deliveries.map((d) => d.seq)).toEqual(raisedSeqs.slice(0, 3));
      const recorded = await store.events.after(0, 10);
      for (const delivery of claim.deliveries) {
        expect(delivery).toEqual({
          seq: delivery.seq,
          sink: 'a',
          attempts: 0,
          firstFailedAt: null,
          event: recorded.find((r) => r.seq === delivery.seq)!.event,
        });
      }
      // The other sink's head is not held by that claim.
      expect((await store.outbox.claim('b', { limit: 10, leaseMs: LEASE, now: 1000 })).deliveries.map((d) => d.seq)).toEqual(raisedSeqs);
    });

    it('gives nothing to a second claim while the lease holds the head, with nextDueAt at the lease end: it never skips ahead', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 4, ['a'], 1000);
      const first = await store.outbox.claim('a', { limit: 2, leaseMs: LEASE, now: 1000 });
      expect(first.deliveries.map((d) => d.seq)).toEqual(raisedSeqs.slice(0, 2));

      for (const now of [1001, 1500, 1999]) {
        const second = await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now });
        expect(second.deliveries).toEqual([]);
        expect(second.nextDueAt).toBe(2000);
      }
      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[0], nextAttemptAt: 1000, claimedUntil: 2000 });
    });

    it('reports nextDueAt null when nothing is pending', async () => {
      const { store } = open();
      expect(await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 1000 })).toMatchObject({ deliveries: [], nextDueAt: null });
      const [seq] = await raise(store, 1, ['a']);
      await store.outbox.settle('a', [seq!], 1000);
      expect(await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 1000 })).toMatchObject({ deliveries: [], nextDueAt: null });
    });

    it('acks with the claim token: the delivery is done and counted, and the lease on the rest is extended', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 3, ['a'], 1000);
      const claim = await store.outbox.claim('a', { limit: 3, leaseMs: LEASE, now: 1000 });

      expect(await store.outbox.ack(claim.token, raisedSeqs[0]!, 'a', 1900, LEASE)).toBe(true);
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 2, dead: 0, done: 1 });
      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[1], claimedUntil: 2900 });

      // Past the first lease, but within the extended one.
      expect(await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 2500 })).toMatchObject({ deliveries: [], nextDueAt: 2900 });
      // Acking twice is refused: it is done.
      expect(await store.outbox.ack(claim.token, raisedSeqs[0]!, 'a', 1950, LEASE)).toBe(false);
      expect(await store.outbox.ack(claim.token, raisedSeqs[1]!, 'a', 2600, LEASE)).toBe(true);
      expect(await store.outbox.ack(claim.token, raisedSeqs[2]!, 'a', 2700, LEASE)).toBe(true);
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 0, dead: 0, done: 3 });
      expect(await store.outbox.head('a')).toBeNull();
    });

    const OPERATIONS: Array<[string, (store: Store, token: string, seq: number) => Promise<boolean>]> = [
      ['ack', (store, token, seq) => store.outbox.ack(token, seq, 'a', 1100, LEASE)],
      ['nack', (store, token, seq) => store.outbox.nack(token, seq, 'a', { error: 'wrong', nextAttemptAt: 9000, now: 1100 })],
      ['bury', (store, token, seq) => store.outbox.bury(token, seq, 'a', { error: 'wrong', now: 1100 })],
    ];
    const WRONG_TOKENS: Array<[string, (store: Store) => Promise<string>]> = [
      ['a made-up token', async () => 'no-such-token'],
      ['the token of a claim on another sink', async (store) => (await store.outbox.claim('b', { limit: 10, leaseMs: LEASE, now: 1000 })).token],
      ['the token of a claim that took nothing', async (store) => (await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 1050 })).token],
    ];
    const REFUSALS = OPERATIONS.flatMap(([op, call]) => WRONG_TOKENS.map(([which, token]) => [op, which, call, token] as const));

    it.each(REFUSALS)('refuses %s with %s and changes nothing', async (_op, _which, call, wrongToken) => {
      const { store } = open();
      const raisedSeqs = await raise(store, 2, ['a', 'b'], 1000);
      const holder = await store.outbox.claim('a', { limit: 1, leaseMs: LEASE, now: 1000 });
      const token = await wrongToken(store);
      const before = await snapshot(store);

      expect(await call(store, token, raisedSeqs[0]!)).toBe(false);

      expect(await snapshot(store)).toEqual(before);
      expect(await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 1200 })).toMatchObject({ deliveries: [], nextDueAt: 2000 });
      // The holder's claim is intact.
      expect(await store.outbox.ack(holder.token, raisedSeqs[0]!, 'a', 1300, LEASE)).toBe(true);
    });

    it('makes the rows of an expired lease claimable again under a new token, and refuses the old token then', async () => {
      const { store, connect } = open();
      const other = connect();
      const raisedSeqs = await raise(store, 3, ['a'], 1000);
      const old = await store.outbox.claim('a', { limit: 2, leaseMs: LEASE, now: 1000 });
      expect(old.deliveries.map((d) => d.seq)).toEqual(raisedSeqs.slice(0, 2));

      const fresh = await other.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 2001 });
      expect(fresh.token).not.toBe(old.token);
      expect(fresh.deliveries.map((d) => ({ seq: d.seq, attempts: d.attempts }))).toEqual(raisedSeqs.map((seq) => ({ seq, attempts: 0 })));

      expect(await store.outbox.ack(old.token, raisedSeqs[0]!, 'a', 2002, LEASE)).toBe(false);
      expect(await store.outbox.nack(old.token, raisedSeqs[1]!, 'a', { error: 'late', nextAttemptAt: 9000, now: 2002 })).toBe(false);
      expect(await store.outbox.bury(old.token, raisedSeqs[1]!, 'a', { error: 'late', now: 2002 })).toBe(false);
      await store.outbox.release(old.token);
      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[0], nextAttemptAt: 1000, claimedUntil: 3001 });
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 3, dead: 0, done: 0 });

      for (const seq of raisedSeqs) expect(await other.outbox.ack(fresh.token, seq, 'a', 2100, LEASE)).toBe(true);
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 0, dead: 0, done: 3 });
    });

    it.each(CONNECTIONS)('never lets two deliverers claim the same rows at once (%s)', async (_how, two) => {
      const { store, connect } = open();
      const deliverers = [store, two ? connect() : store] as const;
      const raisedSeqs = await raise(store, 3, ['a'], 1000);
      const claims = await Promise.all(deliverers.map((d) => d.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 1000 })));
      const taken = claims.flatMap((c) => c.deliveries.map((d) => d.seq));
      expect(taken.sort((x, y) => x - y)).toEqual(raisedSeqs);
      expect(claims.filter((c) => c.deliveries.length > 0)).toHaveLength(1);
    });

    it('nack makes the delivery wait until nextAttemptAt, counts the attempt and ends the claim', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 3, ['a'], 1000);
      const claim = await store.outbox.claim('a', { limit: 3, leaseMs: LEASE, now: 1000 });

      expect(await store.outbox.nack(claim.token, raisedSeqs[0]!, 'a', { error: '503 Service Unavailable', nextAttemptAt: 5000, now: 1100 })).toBe(true);

      // The claim has ended: its token holds nothing any more.
      expect(await store.outbox.ack(claim.token, raisedSeqs[1]!, 'a', 1150, LEASE)).toBe(false);
      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[0], nextAttemptAt: 5000, claimedUntil: null });
      // Not claimable before it is due, and nothing behind it either (order is kept).
      for (const now of [1200, 2500, 4999]) {
        expect(await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now })).toMatchObject({ deliveries: [], nextDueAt: 5000 });
      }
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 3, dead: 0, done: 0 });

      const due = await store.outbox.claim('a', { limit: 1, leaseMs: LEASE, now: 5000 });
      expect(due.deliveries.map((d) => ({ seq: d.seq, attempts: d.attempts, firstFailedAt: d.firstFailedAt }))).toEqual([
        { seq: raisedSeqs[0], attempts: 1, firstFailedAt: 1100 },
      ]);
      // A second failure counts again and keeps the first failure's time.
      expect(await store.outbox.nack(due.token, raisedSeqs[0]!, 'a', { error: 'again', nextAttemptAt: 8000, now: 5100 })).toBe(true);
      const third = await store.outbox.claim('a', { limit: 1, leaseMs: LEASE, now: 8000 });
      expect(third.deliveries[0]).toMatchObject({ seq: raisedSeqs[0], attempts: 2, firstFailedAt: 1100 });
    });

    it('bury moves the delivery to dead, listed with its attempts and last error, and the next row becomes the head', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 2, ['a'], 1000);
      const first = await store.outbox.claim('a', { limit: 1, leaseMs: LEASE, now: 1000 });
      await store.outbox.nack(first.token, raisedSeqs[0]!, 'a', { error: '503', nextAttemptAt: 1500, now: 1000 });
      const second = await store.outbox.claim('a', { limit: 1, leaseMs: LEASE, now: 1500 });

      expect(await store.outbox.bury(second.token, raisedSeqs[0]!, 'a', { error: '410 Gone', now: 1600 })).toBe(true);

      const ids = await store.events.after(0, 10);
      expect(await store.outbox.dead()).toEqual([{ seq: raisedSeqs[0], sink: 'a', id: ids[0]!.event.id, attempts: 2, lastError: '410 Gone' }]);
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 1, dead: 1, done: 0 });
      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[1] });
      expect(await store.outbox.ack(second.token, raisedSeqs[0]!, 'a', 1700, LEASE)).toBe(false);
    });

    it('release gives back every row the claim holds', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 3, ['a'], 1000);
      const claim = await store.outbox.claim('a', { limit: 2, leaseMs: LEASE, now: 1000 });
      await store.outbox.release(claim.token);

      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[0], nextAttemptAt: 1000, claimedUntil: null });
      const again = await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 1001 });
      expect(again.deliveries.map((d) => d.seq)).toEqual(raisedSeqs);
      expect(await store.outbox.ack(claim.token, raisedSeqs[0]!, 'a', 1002, LEASE)).toBe(false);
      // Releasing an unknown token is harmless.
      await store.outbox.release('no-such-token');
      expect(await store.outbox.ack(again.token, raisedSeqs[0]!, 'a', 1003, LEASE)).toBe(true);
    });

    it('settle marks done what is pending and not under another valid lease, and returns how many', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 4, ['stdout', 'a'], 1000);
      const held = await store.outbox.claim('stdout', { limit: 1, leaseMs: LEASE, now: 1000 });
      expect(held.deliveries.map((d) => d.seq)).toEqual([raisedSeqs[0]]);

      expect(await store.outbox.settle('stdout', raisedSeqs.slice(0, 3), 1010)).toBe(2);
      expect(summaryOf(await store.outbox.summary(), 'stdout')).toEqual({ pending: 2, dead: 0, done: 2 });
      // Another sink's deliveries of the same events are untouched.
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 4, dead: 0, done: 0 });
      // Done rows are not settled again; nothing asked, nothing settled.
      expect(await store.outbox.settle('stdout', raisedSeqs.slice(1, 3), 1020)).toBe(0);
      expect(await store.outbox.settle('stdout', [], 1020)).toBe(0);
      // The held row is settled once its lease has expired.
      expect(await store.outbox.settle('stdout', [raisedSeqs[0]!], 2001)).toBe(1);
      expect(await store.outbox.ack(held.token, raisedSeqs[0]!, 'stdout', 2002, LEASE)).toBe(false);
      expect(await store.outbox.head('stdout')).toMatchObject({ seq: raisedSeqs[3] });
    });

    it('killPending moves every pending delivery of one sink to dead, keeping an earlier error', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 3, ['a', 'b'], 1000);
      const claim = await store.outbox.claim('a', { limit: 1, leaseMs: LEASE, now: 1000 });
      await store.outbox.nack(claim.token, raisedSeqs[0]!, 'a', { error: '503', nextAttemptAt: 2000, now: 1000 });

      expect(await store.outbox.killPending('a', 'failing for too long', 3000)).toBe(3);

      const dead = await store.outbox.dead(10, 'a');
      expect(dead.map((d) => [d.seq, d.attempts, d.lastError])).toEqual([
        [raisedSeqs[2], 0, 'failing for too long'],
        [raisedSeqs[1], 0, 'failing for too long'],
        [raisedSeqs[0], 1, '503'],
      ]);
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 0, dead: 3, done: 0 });
      expect(await store.outbox.head('a')).toBeNull();
      expect(await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 3000 })).toMatchObject({ deliveries: [], nextDueAt: null });
      expect(summaryOf(await store.outbox.summary(), 'b')).toEqual({ pending: 3, dead: 0, done: 0 });
      expect(await store.outbox.killPending('a', 'again', 3100)).toBe(0);
    });

    it('retryDead returns dead deliveries to pending, for one sink or for all', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 2, ['a', 'b'], 1000);
      await store.outbox.killPending('a', 'down', 2000);
      await store.outbox.killPending('b', 'down', 2000);

      expect(await store.outbox.retryDead(3000, 'a')).toBe(2);
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 2, dead: 0, done: 0 });
      expect(summaryOf(await store.outbox.summary(), 'b')).toEqual({ pending: 0, dead: 2, done: 0 });
      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[0], nextAttemptAt: 3000, claimedUntil: null });
      const claim = await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 3000 });
      expect(claim.deliveries.map((d) => ({ seq: d.seq, attempts: d.attempts, firstFailedAt: d.firstFailedAt }))).toEqual(
        raisedSeqs.map((seq) => ({ seq, attempts: 0, firstFailedAt: null })),
      );

      expect(await store.outbox.retryDead(4000)).toBe(2);
      expect(summaryOf(await store.outbox.summary(), 'b')).toEqual({ pending: 2, dead: 0, done: 0 });
      expect(await store.outbox.dead()).toEqual([]);
      expect(await store.outbox.retryDead(5000)).toBe(0);
    });

    it('head is the oldest pending delivery of a sink, due or not, claimed or not, null when none is pending', async () => {
      const { store } = open();
      expect(await store.outbox.head('a')).toBeNull();
      const raisedSeqs = await raise(store, 2, ['a'], 1000);
      expect(await store.outbox.head('a')).toEqual({ seq: raisedSeqs[0], nextAttemptAt: 1000, claimedUntil: null, firstFailedAt: null });
      const claim = await store.outbox.claim('a', { limit: 1, leaseMs: LEASE, now: 1200 });
      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[0], nextAttemptAt: 1000, claimedUntil: 2200 });
      await store.outbox.nack(claim.token, raisedSeqs[0]!, 'a', { error: 'x', nextAttemptAt: 9000, now: 1300 });
      expect(await store.outbox.head('a')).toMatchObject({ seq: raisedSeqs[0], nextAttemptAt: 9000, claimedUntil: null, firstFailedAt: 1300 });
      await store.outbox.settle('a', raisedSeqs, 1400);
      expect(await store.outbox.head('a')).toBeNull();
      expect(await store.outbox.head('unknown')).toBeNull();
    });

    it('keeps sinks independent: a claim, a failure or a kill on one sink does not hold back another', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 3, ['a', 'b', 'c'], 1000);
      const onA = await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 1000 });
      await store.outbox.nack(onA.token, raisedSeqs[0]!, 'a', { error: '503', nextAttemptAt: 9000, now: 1000 });
      await store.outbox.killPending('c', 'gone', 1000);

      const onB = await store.outbox.claim('b', { limit: 10, leaseMs: LEASE, now: 1001 });
      expect(onB.deliveries.map((d) => [d.seq, d.sink, d.attempts])).toEqual(raisedSeqs.map((seq) => [seq, 'b', 0]));
      expect(await store.outbox.claim('a', { limit: 10, leaseMs: LEASE, now: 1001 })).toMatchObject({ deliveries: [], nextDueAt: 9000 });
      expect(await store.outbox.claim('c', { limit: 10, leaseMs: LEASE, now: 1001 })).toMatchObject({ deliveries: [], nextDueAt: null });
      // A token works only for the sink it claimed.
      expect(await store.outbox.ack(onB.token, raisedSeqs[1]!, 'a', 1002, LEASE)).toBe(false);
      expect(await store.outbox.ack(onB.token, raisedSeqs[0]!, 'b', 1002, LEASE)).toBe(true);
    });

    it('summarises pending, dead and done per sink with the recording time of the oldest pending event', async () => {
      const { store } = open();
      expect(await store.outbox.summary()).toEqual([]);
      const early = await raise(store, 2, ['a', 'b'], 1000);
      await raise(store, 1, ['a'], 2000);
      await store.outbox.settle('a', early, 2500);
      await store.outbox.killPending('b', 'down', 2500);

      expect(await store.outbox.summary()).toEqual([
        { sink: 'a', pending: 1, dead: 0, done: 2, oldestPendingAt: 2000 },
        { sink: 'b', pending: 0, dead: 2, done: 0, oldestPendingAt: null },
      ]);
    });

    it('lists dead deliveries newest first, at most limit, for one sink or all', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 3, ['a'], 1000);
      const onB = await raise(store, 1, ['b'], 2000);
      await store.outbox.killPending('a', 'down', 3000);
      await store.outbox.killPending('b', 'down', 3000);
      const ids = new Map((await store.events.after(0, 10)).map((s) => [s.seq, s.event.id]));

      expect((await store.outbox.dead()).map((d) => [d.seq, d.sink])).toEqual([
        [onB[0], 'b'],
        [raisedSeqs[2], 'a'],
        [raisedSeqs[1], 'a'],
        [raisedSeqs[0], 'a'],
      ]);
      expect((await store.outbox.dead(2)).map((d) => d.seq)).toEqual([onB[0], raisedSeqs[2]]);
      expect(await store.outbox.dead(10, 'a')).toEqual(
        [...raisedSeqs].reverse().map((seq) => ({ seq, sink: 'a', id: ids.get(seq), attempts: 0, lastError: 'down' })),
      );
      expect(await store.outbox.dead(10, 'none')).toEqual([]);
    });
  });

  describe('prune', () => {
    it('deletes old events whose deliveries are all done or dead, with those deliveries; keeps pending and newer ones', async () => {
      const { store } = open();
      // Recorded at 1000: e1 → a (done), e2 → a (done) and b (dead), e3 → a (pending), e4 → no sink.
      const [e1, e2, e3, e4] = seqs(
        await store.commit(round(1000, { events: [raised(event(), ['a']), raised(event(), ['a', 'b']), raised(event(), ['a']), raised(event(), [])] })),
      );
      // Recorded at 5000: e5 → a (done).
      const [e5] = await raise(store, 1, ['a'], 5000);
      await store.outbox.killPending('b', '410 Gone', 6000);

      const claim = await store.outbox.claim('a', { limit: 2, leaseMs: LEASE, now: 6000 });
      expect(claim.deliveries.map((d) => d.seq)).toEqual([e1, e2]);
      await store.outbox.ack(claim.token, e1!, 'a', 6000, LEASE);
      await store.outbox.ack(claim.token, e2!, 'a', 6000, LEASE);
      await store.outbox.settle('a', [e5!], 6000);

      expect(await store.prune(2000)).toEqual({ events: 3, deliveries: 3 });
      expect(seqs(await store.events.recent({ limit: 10 }))).toEqual([e5, e3]);
      expect(await store.events.count()).toBe(2);
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 1, dead: 0, done: 1 });
      expect(await store.outbox.head('a')).toMatchObject({ seq: e3 });
      expect(await store.outbox.dead()).toEqual([]);
      expect(e4).toBeGreaterThan(e3!);
      // Nothing more is old enough and settled.
      expect(await store.prune(2000)).toEqual({ events: 0, deliveries: 0 });
    });

    it('counts the deliveries of every sink of a pruned event, dead ones included', async () => {
      const { store } = open();
      const [seq] = await raise(store, 1, ['a', 'b'], 1000);
      await store.outbox.settle('a', [seq!], 1100);
      await store.outbox.killPending('b', 'down', 1100);
      expect(await store.prune(1001)).toEqual({ events: 1, deliveries: 2 });
      expect(await store.outbox.dead()).toEqual([]);
      expect(await store.events.count()).toBe(0);
    });

    it('never prunes an event with a pending delivery, whatever its age', async () => {
      const { store } = open();
      const [seq] = await raise(store, 1, ['a', 'b'], 1000);
      await store.outbox.settle('a', [seq!], 1100);
      expect(await store.prune(Number.MAX_SAFE_INTEGER)).toEqual({ events: 0, deliveries: 0 });
      expect(seqs(await store.events.recent({ limit: 10 }))).toEqual([seq]);
      expect(await store.outbox.head('b')).toMatchObject({ seq });
      expect(summaryOf(await store.outbox.summary(), 'a')).toEqual({ pending: 0, dead: 0, done: 1 });
    });

    it('keeps events recorded at or after `before`', async () => {
      const { store } = open();
      const [old] = await raise(store, 1, [], 1000);
      const [edge] = await raise(store, 1, [], 2000);
      expect(await store.prune(2000)).toEqual({ events: 1, deliveries: 0 });
      expect(seqs(await store.events.after(0, 10))).toEqual([edge]);
      expect(old).toBeLessThan(edge!);
    });

    it('never takes seq numbers or lastSeq backwards: a new event after pruning the newest gets a higher seq', async () => {
      const { store } = open();
      const raisedSeqs = await raise(store, 3, ['a'], 1000);
      await store.outbox.settle('a', raisedSeqs, 1100);
      const last = await store.events.lastSeq();
      expect(last).toBe(raisedSeqs[2]);

      expect(await store.prune(Number.MAX_SAFE_INTEGER)).toEqual({ events: 3, deliveries: 3 });
      expect(await store.events.count()).toBe(0);
      expect(await store.events.lastSeq()).toBe(last);

      const [next] = await raise(store, 1, ['a'], 2000);
      expect(next).toBeGreaterThan(last);
      expect(await store.events.lastSeq()).toBe(next);
      expect(seqs(await store.events.after(last, 10))).toEqual([next]);
    });
  });

  describe('health and close', () => {
    it('is healthy while open, and reports it when closed', async () => {
      const { store } = open();
      expect(await store.health()).toEqual({ ok: true, error: null });
      await store.commit(round(1000, { states: [write('m', 'BTC', 0, 1)], events: [raised(event(), ['a'])] }));
      expect(await store.health()).toEqual({ ok: true, error: null });
      expect(typeof store.location).toBe('string');
      expect(store.location.length).toBeGreaterThan(0);

      await store.close();
      const health = await store.health();
      expect(health.ok).toBe(false);
      expect(health.error).toEqual(expect.any(String));
      // Closing again is harmless.
      await store.close();
    });
  });
});

describe.each(IMPLEMENTATIONS)('the %s store, for operations', (_name, open) => {
  it('counts the backlog of the sinks asked for, pending and dead, and nothing else', async () => {
    const { store } = open();
    const [first] = await raise(store, 3, ['a', 'b']);
    const claim = await store.outbox.claim('a', { limit: 1, leaseMs: 1000, now: 2000 });
    await store.outbox.bury(claim.token, first!, 'a', { error: 'HTTP 400', now: 2000 });
    expect(await store.outbox.depth(['a', 'b', 'unused'])).toEqual([
      { sink: 'a', pending: 2, dead: 1 },
      { sink: 'b', pending: 3, dead: 0 },
      { sink: 'unused', pending: 0, dead: 0 },
    ]);
  });

  it('forgets the state and status of monitors no longer configured, and only theirs', async () => {
    const { store } = open();
    await store.commit(
      round(1000, {
        states: [write('kept', 'BTC', 0, 1), write('gone', 'ETH', 0, 2)],
        statuses: [status('kept', 'ok'), status('gone', 'error', 'x'), status('status-only', 'ok')],
      }),
    );
    expect(await store.forgetMonitorsExcept(['kept', 'never-ran'])).toBe(2);
    expect([...(await store.statesOfMany(['kept', 'gone']))].map(([m, s]) => [m, s.size])).toEqual([
      ['kept', 1],
      ['gone', 0],
    ]);
    expect([...(await store.monitorStatuses()).keys()]).toEqual(['kept']);
    expect(await store.forgetMonitorsExcept(['kept'])).toBe(0);
    // A forgotten subject starts again at version 1.
    await store.commit(round(2000, { states: [write('gone', 'ETH', 0, 3)] }));
    expect((await store.statesOf('gone')).get('ETH')?.version).toBe(1);
  });
});

describe.each(IMPLEMENTATIONS)('the %s store, for a stuck sink', (_name, open) => {
  it('makes pending deliveries waiting for a far retry due now, for one sink or all, and only those', async () => {
    const { store } = open();
    const [first] = await raise(store, 2, ['a', 'b'], 1000);
    const claim = await store.outbox.claim('a', { limit: 1, leaseMs: 1000, now: 1000 });
    await store.outbox.nack(claim.token, first!, 'a', { error: '429', nextAttemptAt: 9_999_999_999, now: 1000 });
    expect(await store.outbox.retryPendingNow(2000, 'b')).toBe(0); // b's rows are due already
    expect(await store.outbox.retryPendingNow(2000, 'a')).toBe(1);
    expect(await store.outbox.head('a')).toMatchObject({ seq: first, nextAttemptAt: 2000 });
    expect((await store.outbox.claim('a', { limit: 5, leaseMs: 1000, now: 2000 })).deliveries).toHaveLength(2);
  });

  it('counts the attempt that failed when a nack comes before killPending', async () => {
    const { store } = open();
    const [seq] = await raise(store, 1, ['a'], 1000);
    const claim = await store.outbox.claim('a', { limit: 1, leaseMs: 1000, now: 1000 });
    await store.outbox.nack(claim.token, seq!, 'a', { error: 'down', nextAttemptAt: 1500, now: 1000 });
    const again = await store.outbox.claim('a', { limit: 1, leaseMs: 1000, now: 1500 });
    await store.outbox.nack(again.token, seq!, 'a', { error: 'down', nextAttemptAt: 1600, now: 1500 });
    await store.outbox.killPending('a', 'down', 1600);
    expect(await store.outbox.dead()).toEqual([expect.objectContaining({ seq, attempts: 2, lastError: 'down' })]);
  });
});
