import { describe, expect, it } from 'vitest';
import { RESULT } from '../../src/condition/evaluation.js';
import { MarketReading } from '../../src/modes/market/reading.js';

describe("a market reading (one asset's state write and outcome in one object)", () => {
  const reading = () => new MarketReading('m', 'BTC', 101.5, 100, 'state', RESULT.notMetArmed, 60_000);

  it('reads as a plain state when spread, serialised or compared: the outcome parts are private', () => {
    const state = { monitor: 'm', subject: 'BTC', value: 101.5, previous: 100, armed: true, checkedAt: 60_000, version: 0 };
    const r = reading();
    expect({ ...r }).toEqual(state);
    expect(Object.keys(r)).toEqual(Object.keys(state));
    expect(JSON.parse(JSON.stringify(r))).toEqual(state);
    expect('alert' in r).toBe(false);
  });

  it('reads as the outcome: current is the value, previous, where it came from, the evaluation', () => {
    const r = reading();
    expect([r.current, r.previous, r.previousFrom, r.evaluation]).toEqual([101.5, 100, 'state', RESULT.notMetArmed]);
    expect(r.raise).toBeUndefined();
  });

  it('takes what the lifecycle changes: the evaluation, armed, the alert memory, a raise function', () => {
    const r = reading();
    r.evaluation = RESULT.notMetDisarmed;
    r.armed = false;
    r.alert = { firingSince: 1, sentAt: 1, severity: 0.5, severityLabel: 'medium' };
    const raise = () => {
      throw new Error('not called');
    };
    r.raise = raise;
    expect([r.evaluation, r.armed, r.alert.firingSince, r.raise]).toEqual([RESULT.notMetDisarmed, false, 1, raise]);
    expect(Object.keys(r)).not.toContain('raise');
  });
});
