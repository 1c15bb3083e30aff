import { describe, expect, it } from 'vitest';
import { compileCondition } from '../../src/condition/index.js';
import { describeFor } from '../../src/modes/mode.js';
import { MODES } from '../../src/modes/registry.js';

/** A mode's severity rule and wording, as monitors of that mode use them. */
const mode = (name: 'market' | 'portfolio') => MODES.get(name)!;

describe('compileCondition', () => {
  it('matches the public API example', () => {
    const c = compileCondition('>> ++25%');
    expect(c.evaluate({ current: 1300, previous: 1000, armed: true })).toEqual({ evaluable: true, met: true, fires: true, armed: false });
    expect(c.severity({ current: 1300, previous: 1000 }, mode('market').severity)).toEqual({ value: 0.5, label: 'high' });
    expect(c.describe()).toBe('once, when the price rises by more than 25% since the last check');
  });

  it.each([
    ['> 50000', 'market', 'when the price is above 50,000'],
    ['> 5%', 'market', 'when the price changes by more than 5% (up or down) since the last check'],
    ['< -15%', 'market', 'when the price falls by more than 15% since the last check'],
    ['> +5%', 'portfolio', 'when the portfolio value rises by more than 5% since the last check'],
    ['>> 5%', 'portfolio', 'once, when the portfolio value changes by more than 5% (up or down) since the last check'],
    [
      '<< --50000',
      'portfolio',
      'once, when the fall of the portfolio value since the last check is less than 50,000 (the opposite move counts as a negative fall)',
    ],
    ['> --500', 'market', 'when the price falls by more than 500 since the last check'],
    ['!= 0', 'market', 'when the price is not 0'],
    ['> -15', 'market', 'when the price is above -15'],
    ['= 1.5M', 'market', 'when the price is exactly 1,500,000'],
  ] as const)('describes %s (%s)', (source, name, text) => {
    expect(describeFor(mode(name), compileCondition(source))).toBe(text);
  });

  it('exposes what it compiled', () => {
    const c = compileCondition('<< -15%');
    expect({
      kind: c.kind,
      comparison: c.comparison,
      once: c.once,
      threshold: c.threshold,
      absolute: c.absolute,
      needsPrevious: c.needsPrevious,
      level: c.level,
    }).toEqual({ kind: 'change%', comparison: '<', once: true, threshold: -15, absolute: false, needsPrevious: true, level: null });
    expect(compileCondition('== 64000').level).toBe(64000);
  });

  it('measures x rounded to 10 decimals, or null when not evaluable', () => {
    expect(compileCondition('> 5%').measure(105, 100)).toBe(5);
    expect(compileCondition('> 5%').measure(0.3, 0.1 + 0.2)).toBe(0);
    expect(compileCondition('> 5%').measure(1, null)).toBeNull();
    expect(compileCondition('> --1').measure(90, 100)).toBe(10);
  });

  it('treats a non-finite value as not evaluable rather than comparing it', () => {
    const c = compileCondition('> 10');
    expect(c.evaluate({ current: Number.NaN, previous: 1, armed: true }).evaluable).toBe(false);
    expect(c.evaluate({ current: Number.POSITIVE_INFINITY, previous: 1, armed: false })).toEqual({ evaluable: false, met: false, fires: false, armed: false });
  });

  it('fires a once-condition only on the false-to-true edge across a sequence of checks', () => {
    const c = compileCondition('>> 100');
    let armed = true;
    const fired: boolean[] = [];
    for (const current of [90, 110, 120, 95, 130, 140]) {
      const result = c.evaluate({ current, previous: null, armed });
      fired.push(result.fires);
      armed = result.armed;
    }
    expect(fired).toEqual([false, true, false, false, true, false]);
  });

  it('returns frozen results so no caller can corrupt the shared ones', () => {
    const result = compileCondition('> 1').evaluate({ current: 2, previous: null, armed: true });
    expect(Object.isFrozen(result)).toBe(true);
  });

  it.each([
    ['market', '> 1', 100, 0, 'medium'],
    ['market', '> 1', 100, null, 'medium'],
    ['portfolio', '> ++1', 100, 0, 'medium'],
    ['portfolio', '> 0', 5, null, 'low'],
    ['portfolio', '< 100', 49.99, 10, 'high'],
    ['market', '> 1', 110, 100, 'medium'],
    ['market', '> 1', 109.99, 100, 'low'],
  ] as const)('grades %s %s at %d from %s as %s', (name, source, current, previous, label) => {
    expect(compileCondition(source).severity({ current, previous }, mode(name).severity).label).toBe(label);
  });
});
