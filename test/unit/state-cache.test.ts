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

describe('the state cache against a plain map', () => {
  // Several callers read in turn (a round plan's array, a stream driver's new arrays), arrays
  // change in place, and writes come in their order, out of it, or outside it.
  it('answers as a Map would, for 300 random runs of 40 steps', () => {
    let seed = 12345;
    const random = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const pool = Array.from({ length: 30 }, (_, i) => `m${i}`);
    for (let run = 0; run < 300; run++) {
      const cache = new StateCache();
      const model = new Map<string, number>();
      const arrays = Array.from({ length: 6 }, () => pool.filter(() => random(2) === 0));
      for (let step = 0; step < 40; step++) {
        const k = random(arrays.length);
        const op = random(5);
        if (op === 0) arrays[k] = pool.filter(() => random(2) === 0);
        else if (op === 1 && arrays[k]!.length > 1) arrays[k]![random(arrays[k]!.length)] = pool[random(pool.length)]!;
        const plan = arrays[k]!;
        const out = new Array<ReadonlyMap<string, SubjectState>>(plan.length);
        cache.inOrder(plan, out, NONE);
        for (let i = 0; i < plan.length; i++) expect(out[i]!.get('X')?.value).toBe(model.get(plan[i]!));
        const writes = random(2) === 0 ? plan.filter(() => random(3) > 0) : Array.from({ length: random(10) }, () => pool[random(pool.length)]!);
        cache.rewind();
        for (const monitor of writes) {
          const at = cache.locate(monitor);
          expect(at === undefined ? undefined : cache.at(at)?.get('X')?.value).toBe(model.get(monitor));
        }
        cache.rewind();
        for (const monitor of writes) {
          const value = random(1000);
          cache.setAt(cache.locate(monitor), monitor, one(monitor, value));
          model.set(monitor, value);
        }
        for (const monitor of pool) expect(cache.get(monitor)?.get('X')?.value).toBe(model.get(monitor));
      }
    }
  });
});
