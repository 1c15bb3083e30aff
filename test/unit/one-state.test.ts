import { describe, expect, it } from 'vitest';
import { SqliteStore, type GuardedStateWrite } from '../../src/store/index.js';

const write = (subject: string, value: number, version: number, checkedAt: number): GuardedStateWrite => ({
  monitor: 'm',
  subject,
  value,
  previous: null,
  armed: true,
  checkedAt,
  version,
});

// A monitor with one subject gets a small read-only map instead of a Map (src/store/sqlite/one-state.ts):
// it must behave as a Map does everywhere states are read, and still never change once handed out.
describe('the states of a one-subject monitor', () => {
  it('read as a map, a snapshot that later commits leave alone', async () => {
    const store = SqliteStore.open(':memory:');
    try {
      await store.commit({ roundTime: 60_000, checkedAt: 60_000, states: [write('BTC', 1, 1, 60_000)], statuses: [], events: [] });
      const first = await store.statesOf('m');
      expect(first.size).toBe(1);
      expect(first.get('BTC')).toMatchObject({ value: 1, version: 1 });
      expect(first.get('ETH')).toBeUndefined();
      expect(first.has('BTC')).toBe(true);
      expect(first.has('ETH')).toBe(false);
      expect([...first.keys()]).toEqual(['BTC']);
      expect([...first.values()].map((s) => s.value)).toEqual([1]);
      expect([...first].map(([k, s]) => [k, s.value])).toEqual([['BTC', 1]]);
      expect([...first.entries()].map(([k]) => k)).toEqual(['BTC']);
      const seen: string[] = [];
      first.forEach((state, subject, map) => {
        expect(map).toBe(first);
        seen.push(`${subject}=${state.value}`);
      });
      expect(seen).toEqual(['BTC=1']);
      expect(new Map(first).get('BTC')?.value).toBe(1);

      await store.commit({ roundTime: 120_000, checkedAt: 120_000, states: [write('BTC', 2, 2, 120_000)], statuses: [], events: [] });
      expect(first.get('BTC')?.value).toBe(1);
      expect((await store.statesOf('m')).get('BTC')).toMatchObject({ value: 2, version: 2 });

      // A second subject: both are kept, the first one's map still unchanged.
      const second = await store.statesOf('m');
      await store.commit({ roundTime: 180_000, checkedAt: 180_000, states: [write('ETH', 5, 1, 180_000)], statuses: [], events: [] });
      const both = await store.statesOf('m');
      expect([...both.keys()].sort()).toEqual(['BTC', 'ETH']);
      expect(second.size).toBe(1);
      expect(await store.lastRoundOf('m')).toBe(180_000);

      // Forgetting one leaves the other.
      await store.commit({
        roundTime: 240_000,
        checkedAt: 240_000,
        states: [],
        forget: [{ monitor: 'm', subject: 'ETH', expectedVersion: 1 }],
        statuses: [],
        events: [],
      });
      expect([...(await store.statesOf('m')).keys()]).toEqual(['BTC']);
      expect(both.size).toBe(2);
    } finally {
      await store.close();
    }
  });
});
