/**
 * The readings part of the store contract: every implementation keeps values by key and
 * answers the one closest to a time within a tolerance (the futures baseline), and prunes.
 */
import { describe, expect, it } from 'vitest';
import { storeImplementations } from './implementations.js';

const IMPLEMENTATIONS = storeImplementations('aw-readings-');

const H = 3_600_000;

describe.each(IMPLEMENTATIONS)('the %s store’s readings', (_name, open) => {
  it('answers the reading closest to a time, within the tolerance, per key', async () => {
    const store = open();
    await store.readings.record('a', 10 * H, 100);
    await store.readings.record('a', 12 * H, 120);
    await store.readings.record('a', 13 * H, 130);
    await store.readings.record('b', 12 * H, 999);
    expect(await store.readings.nearest('a', 12 * H + 1000, H)).toEqual({ at: 12 * H, value: 120 });
    expect(await store.readings.nearest('a', 12.6 * H, H)).toEqual({ at: 13 * H, value: 130 });
    // A tie goes to the earlier reading.
    expect(await store.readings.nearest('a', 12.5 * H, H)).toEqual({ at: 12 * H, value: 120 });
    expect(await store.readings.nearest('a', 11 * H, H)).toEqual({ at: 10 * H, value: 100 });
    // Nothing within the tolerance: none, never a far reading.
    expect(await store.readings.nearest('a', 20 * H, H)).toBeNull();
    expect(await store.readings.nearest('c', 12 * H, H)).toBeNull();
    expect(await store.readings.nearest('b', 12 * H, 0)).toEqual({ at: 12 * H, value: 999 });
  });

  it('replaces a reading taken at the same time, and prunes those before a cut', async () => {
    const store = open();
    await store.readings.record('a', 1 * H, 1);
    await store.readings.record('a', 1 * H, 2);
    await store.readings.record('a', 3 * H, 3);
    await store.readings.record('b', 2 * H, 4);
    expect(await store.readings.nearest('a', 1 * H, 0)).toEqual({ at: 1 * H, value: 2 });
    expect(await store.readings.prune(2 * H + 1)).toBe(2);
    expect(await store.readings.nearest('a', 1 * H, H)).toBeNull();
    expect(await store.readings.nearest('b', 2 * H, H)).toBeNull();
    expect(await store.readings.nearest('a', 3 * H, 0)).toEqual({ at: 3 * H, value: 3 });
  });
});
