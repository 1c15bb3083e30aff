/**
 * statesInOrder, the read a round makes: statesOfMany's maps as a list in the order asked,
 * snapshots as statesOf's are.
 */
import { describe, expect, it } from 'vitest';
import type { GuardedStateWrite } from '../../src/store/index.js';
import { storeImplementations } from './implementations.js';

const IMPLEMENTATIONS = storeImplementations('aw-in-order-');

const write = (monitor: string, subject: string, value: number, version: number): GuardedStateWrite => ({
  monitor,
  subject,
  value,
  previous: null,
  armed: true,
  checkedAt: 60_000 * version,
  version,
});

describe.each(IMPLEMENTATIONS)('the %s store’s states in order', (_name, open) => {
  it('gives each monitor’s states at its position (an empty map for one with none), as snapshots later commits leave alone', async () => {
    const store = open();
    await store.commit({
      roundTime: 60_000,
      checkedAt: 60_000,
      states: [write('m', 'BTC', 1, 1), write('n', 'ETH', 2, 1), write('n', 'SOL', 3, 1)],
      statuses: [],
      events: [],
    });
    const read = await store.statesInOrder(['n', 'none', 'm']);
    expect(read.map((states) => [...states.keys()].sort())).toEqual([['ETH', 'SOL'], [], ['BTC']]);
    expect(read[2]!.get('BTC')).toMatchObject({ monitor: 'm', value: 1, version: 1 });
    expect(read.map((states) => [...states.entries()].map(([k, s]) => [k, s.value]))).toEqual(
      (await Promise.all(['n', 'none', 'm'].map((m) => store.statesOf(m)))).map((states) => [...states.entries()].map(([k, s]) => [k, s.value])),
    );
    await store.commit({ roundTime: 120_000, checkedAt: 120_000, states: [write('m', 'BTC', 9, 2)], statuses: [], events: [] });
    expect(read[2]!.get('BTC')).toMatchObject({ value: 1, version: 1 });
    expect((await store.statesInOrder(['m']))[0]!.get('BTC')).toMatchObject({ value: 9, version: 2 });
  });

  // A round plan passes the same array every round; another caller may change its array in
  // place, or commit its writes in an order of its own.
  it('answers for the names in the array now, whichever array and order, and takes writes in any order', async () => {
    const store = open();
    const names = ['a', 'b', 'c', 'd'];
    const round = (at: number, order: string[], version: number) =>
      store.commit({ roundTime: at, checkedAt: at, states: order.map((m) => write(m, 'X', at + m.charCodeAt(0), version)), statuses: [], events: [] });
    expect((await store.statesInOrder(names)).map((s) => s.size)).toEqual([0, 0, 0, 0]);
    await round(60_000, ['a', 'b', 'c', 'd'], 1);
    expect((await store.statesInOrder(names)).map((s) => s.get('X')?.value)).toEqual([60_097, 60_098, 60_099, 60_100]);
    // Out of the array's order, and some monitors without a write.
    await round(120_000, ['d', 'b'], 2);
    await round(180_000, ['c', 'a'], 2);
    expect((await store.statesInOrder(names)).map((s) => s.get('X')?.value)).toEqual([180_097, 120_098, 180_099, 120_100]);
    names.reverse();
    names[0] = 'e';
    expect((await store.statesInOrder(names)).map((s) => s.get('X')?.value)).toEqual([undefined, 180_099, 120_098, 180_097]);
    await expect(round(240_000, ['e', 'c', 'b', 'a', 'd'], 0)).rejects.toThrow(); // stale versions: refused whole
    await round(240_000, ['e'], 1);
    expect((await store.statesInOrder(names)).map((s) => s.get('X')?.version)).toEqual([1, 2, 2, 2]);
    expect((await store.statesInOrder(['d']))[0]!.get('X')?.value).toBe(120_100);
  });
});
