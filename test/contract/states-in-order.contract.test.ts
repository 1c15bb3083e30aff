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
});
