import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { emptyCheck } from '../../src/modes/mode.js';
import { buildCommit, okStatusesOf } from '../../src/scheduler/commit.js';

const config = parseConfig(
  'monitors:\n  - { name: a, monitoring_mode: market, monitored_assets: [{ asset: BTC, condition: "> 1" }] }\n  - { name: b, monitoring_mode: market, monitored_assets: [{ asset: ETH, condition: "> 1" }] }\n',
  'm.yaml',
  {},
);

describe("a round's commit", () => {
  it("shares each monitor's frozen 'ok' status across rounds, and builds an error status when a check failed", () => {
    const ok = okStatusesOf(config.monitors);
    const failed = emptyCheck('b');
    failed.errors.push('no price', 'no baseline');
    const state = { monitor: 'a', subject: 'BTC', value: 2, previous: 1, armed: true, checkedAt: 1, version: 0 };
    const commit = buildCommit(60_000, 60_001, config.monitors, [{ ...emptyCheck('a'), states: [state] }, failed], [new Map(), new Map()], () => [], ok);
    expect(commit.statuses[0]).toBe(ok[0]);
    expect(Object.isFrozen(commit.statuses[0])).toBe(true);
    expect(commit.statuses).toEqual([
      { monitor: 'a', result: 'ok', error: null },
      { monitor: 'b', result: 'error', error: 'no price; no baseline' },
    ]);
    expect(commit.states).toEqual([{ ...state, version: 1 }]);
    // Without the shared statuses (the stream driver), the same statuses, built.
    const built = buildCommit(60_000, 60_001, config.monitors, [emptyCheck('a'), failed], [undefined, undefined], () => []);
    expect(built.statuses).toEqual(commit.statuses);
    expect(built.statuses[0]).not.toBe(ok[0]);
  });

  it("gives the plan's list itself when every check passed: the store recognises it whole", () => {
    const ok = okStatusesOf(config.monitors);
    expect(Object.isFrozen(ok)).toBe(true);
    const commit = buildCommit(60_000, 60_001, config.monitors, [emptyCheck('a'), emptyCheck('b')], [undefined, undefined], () => [], ok);
    expect(commit.statuses).toBe(ok);
  });
});
