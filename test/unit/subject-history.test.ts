import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HISTORY_POINTS, SubjectHistory } from '../../src/http/history.js';
import { RESULT } from '../../src/condition/evaluation.js';
import { tuneHeapForService } from '../../src/service/heap.js';
import type { MonitorCheck } from '../../src/modes/mode.js';

const check = (monitor: string, values: Record<string, number>): MonitorCheck => ({
  monitor,
  states: [],
  forget: [],
  events: [],
  errors: [],
  warnings: [],
  subjects: Object.entries(values).map(([subject, current]) => ({ subject, current, previous: null, previousFrom: 'none', evaluation: RESULT.notMetArmed })),
});

describe('the dashboard chart history', () => {
  it('keeps the last points of each subject, oldest first, in a ring', () => {
    const history = new SubjectHistory();
    for (let i = 1; i <= HISTORY_POINTS + 5; i++) history.record(i * 1000, [check('m', { BTC: i, ETH: -i })]);
    const btc = history.of('m', 'BTC');
    expect(btc).toHaveLength(HISTORY_POINTS);
    expect(btc[0]).toEqual([6000, 6]);
    expect(btc.at(-1)).toEqual([(HISTORY_POINTS + 5) * 1000, HISTORY_POINTS + 5]);
    expect(history.of('m', 'ETH').at(-1)![1]).toBe(-(HISTORY_POINTS + 5));
    expect(history.of('m', 'SOL')).toEqual([]);
    expect(history.of('other', 'BTC')).toEqual([]);
  });

  it('drops the monitors a reload removed', () => {
    const history = new SubjectHistory();
    history.record(1000, [check('kept', { A: 1 }), check('gone', { A: 2 })]);
    history.keepOnly(new Set(['kept']));
    expect(history.of('kept', 'A')).toEqual([[1000, 1]]);
    expect(history.of('gone', 'A')).toEqual([]);
  });

  it('shares the times of subjects recorded together and still answers each subject its own points', () => {
    // The model: every subject's [time, value] points kept plainly, the last HISTORY_POINTS of them.
    const monitors = ['a', 'b', 'c'];
    const subjects = ['X', 'Y', 'Z'];
    const step = fc.oneof(
      fc.record({
        kind: fc.constant('record' as const),
        entries: fc.array(fc.tuple(fc.constantFrom(...monitors), fc.constantFrom(...subjects), fc.integer({ min: -1e6, max: 1e6 })), { maxLength: 9 }),
      }),
      fc.record({ kind: fc.constant('keep' as const), kept: fc.subarray(monitors) }),
    );
    // A small window (5 points) so rings fill, turn and split within a run; long runs ('max').
    const capacity = 5;
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 200, size: 'max' }), (steps) => {
        const history = new SubjectHistory(capacity);
        const model = new Map<string, Array<[number, number]>>();
        let time = 0;
        for (const s of steps) {
          if (s.kind === 'keep') {
            history.keepOnly(new Set(s.kept));
            for (const key of [...model.keys()]) if (!s.kept.includes(key.split('/')[0]!)) model.delete(key);
            continue;
          }
          time += 1000;
          // One check per monitor, its subjects in order; a subject listed twice keeps its later value.
          const byMonitor = new Map<string, Record<string, number>>();
          for (const [m, subject, value] of s.entries) byMonitor.set(m, { ...byMonitor.get(m), [subject]: value });
          history.record(
            time,
            [...byMonitor].map(([m, values]) => check(m, values)),
          );
          for (const [m, values] of byMonitor)
            for (const [subject, value] of Object.entries(values)) {
              const points = model.get(`${m}/${subject}`) ?? [];
              points.push([time, value]);
              if (points.length > capacity) points.shift();
              model.set(`${m}/${subject}`, points);
            }
          for (const m of monitors) for (const subject of subjects) expect(history.of(m, subject)).toEqual(model.get(`${m}/${subject}`) ?? []);
        }
      }),
      { numRuns: 300, seed: 16 },
    );
  });

  it('keeps the later value of a subject listed twice in one recording', () => {
    const history = new SubjectHistory();
    history.record(1000, [check('m', { A: 1 })]);
    const twice = check('m', { A: 2 });
    history.record(2000, [{ ...twice, subjects: [...twice.subjects, { ...twice.subjects[0]!, current: 3 }] }]);
    expect(history.of('m', 'A')).toEqual([
      [1000, 1],
      [2000, 3],
    ]);
  });

  it('does not keep a timeline per subject after sporadic failures: copies that hold the same times again are merged', () => {
    const capacity = 10;
    const history = new SubjectHistory(capacity);
    const monitors = Array.from({ length: 50 }, (_, i) => `m${i}`);
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    let most = 0;
    for (let round = 1; round <= 200; round++) {
      // About one monitor in twenty fails a round (its check measures nothing).
      history.record(
        round * 60_000,
        monitors.filter(() => random() > 0.05).map((m) => check(m, { A: round })),
      );
      most = Math.max(most, history.timelineCount());
    }
    // Splits happen, and are undone once the missed round leaves the window; failures in the
    // last `capacity` rounds keep some apart (they do hold different times).
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThan(30);
    for (let round = 201; round <= 200 + capacity; round++)
      history.record(
        round * 60_000,
        monitors.map((m) => check(m, { A: round })),
      );
    expect(history.timelineCount()).toBe(1);
    const expected = Array.from({ length: capacity }, (_, i) => [(201 + i) * 60_000, 201 + i]);
    for (const m of monitors) expect(history.of(m, 'A')).toEqual(expected);
  });

  it('lets the collector take a copied timeline once its subjects are dropped (nothing else points to it)', async () => {
    const { collect } = tuneHeapForService()!;
    const history = new SubjectHistory();
    history.record(1000, [check('A', { x: 1 }), check('C', { z: 1 })]);
    history.record(2000, [check('C', { z: 2 })]); // C's subject moves to a copy; A's stays behind
    const copy = new WeakRef(history['byMonitor'].get('C')!.get('z')!.timeline);
    history.keepOnly(new Set(['A']));
    await new Promise((resolve) => setImmediate(resolve)); // a WeakRef holds its target until the job ends
    collect();
    expect(copy.deref()).toBeUndefined();
    expect(history.of('A', 'x')).toEqual([[1000, 1]]);
  });
});
