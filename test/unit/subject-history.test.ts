import { describe, expect, it } from 'vitest';
import { HISTORY_POINTS, SubjectHistory } from '../../src/http/history.js';
import { RESULT } from '../../src/condition/evaluation.js';
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
});
