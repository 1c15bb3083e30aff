/**
 * The state cache finds monitors by position: a round plan's order is kept, and a commit's
 * writes are followed with a cursor. Whatever the order of the writes, each is found.
 */
import { describe, expect, it } from 'vitest';
import { OneState } from '../../src/store/sqlite/one-state.js';
import { StateCache } from '../../src/store/sqlite/state-cache.js';
import type { SubjectState } from '../../src/store/index.js';

const NONE: ReadonlyMap<string, SubjectState> = new Map();
const state = (monitor: string, value: number): SubjectState => ({ monitor, subject: 'X', value, previous: null, armed: true, checkedAt: 1, version: 1 });
const one = (monitor: string, value: number) => new OneState(state(monitor, value), value);

describe('the state cache', () => {
  const names = Array.from({ length: 40 }, (_, i) => `m${i}`);

  it('reads a plan in order, a monitor without states as none, and keeps the positions for the same array', () => {
    const cache = new StateCache();
    cache.set('m3', one('m3', 3));
    const out = new Array<ReadonlyMap<string, SubjectState>>(names.length);
    cache.inOrder(names, out, NONE);
    expect(out.filter((s) => s !== NONE).map((s) => s.get('X')!.value)).toEqual([3]);
    cache.set('m7', one('m7', 7));
    cache.inOrder(names, out, NONE);
    expect(out[7]!.get('X')!.value).toBe(7);
    let seen = 0;
    cache.forEach(() => seen++);
    expect(seen).toBe(2); // monitors read but without states are not visited
  });

  it('locates writes that follow the order, skip monitors, go back, or are not in it at all', () => {
    const cache = new StateCache();
    const out = new Array<ReadonlyMap<string, SubjectState>>(names.length);
    cache.inOrder(names, out, NONE);
    // Every fifth monitor, then far ahead (past the look-ahead), back to the start, and one outside the plan.
    const order = ['m0', 'm5', 'm10', 'm39', 'm1', 'm2', 'elsewhere', 'm3', 'm20', 'm21'];
    cache.rewind();
    for (const monitor of order) cache.setAt(cache.locate(monitor), monitor, one(monitor, Number(monitor.slice(1)) || -1));
    for (const monitor of order) expect(cache.get(monitor)!.get('X')!.value).toBe(Number(monitor.slice(1)) || -1);
    cache.rewind();
    for (const monitor of order) expect(cache.at(cache.locate(monitor)!)!.get('X')!.value).toBe(Number(monitor.slice(1)) || -1);
    expect(cache.locate('never')).toBeUndefined();
  });

  it('works the positions out again when the array is changed in place', () => {
    const cache = new StateCache();
    for (const monitor of names) cache.set(monitor, one(monitor, Number(monitor.slice(1))));
    const plan = names.slice();
    const out = new Array<ReadonlyMap<string, SubjectState>>(plan.length);
    cache.inOrder(plan, out, NONE);
    plan.reverse();
    cache.inOrder(plan, out, NONE);
    expect(out.map((s) => s.get('X')!.value)).toEqual(names.map((_, i) => names.length - 1 - i));
  });
});
