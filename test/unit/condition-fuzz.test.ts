import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCondition, ConditionSyntaxError } from '../../src/condition/index.js';

// Strings drawn mostly from the language's own alphabet, so the parser is pushed deep
// into partial and almost-valid conditions rather than failing at column 1 every time.
const alphabet = fc.constantFrom(...'<>=!+-%._kKMB0123456789 \t'.split(''), 'e', 'x', '\n', '£', '€', '\u0000');
const nearConditions = fc.array(alphabet, { maxLength: 24 }).map((chars) => chars.join(''));
const anyStrings = fc.string({ maxLength: 40, unit: 'binary' });

function checkNeverCrashes(input: string): void {
  try {
    const condition = compileCondition(input);
    // An accepted condition must evaluate to booleans for any finite values.
    const result = condition.evaluate({ current: 101, previous: 100, armed: true });
    expect(typeof result.met).toBe('boolean');
    expect(Number.isFinite(condition.threshold)).toBe(true);
  } catch (error) {
    expect(error).toBeInstanceOf(ConditionSyntaxError);
    const syntaxError = error as ConditionSyntaxError;
    expect(syntaxError.column).toBeGreaterThanOrEqual(1);
    expect(syntaxError.column).toBeLessThanOrEqual(input.length + 1);
    expect(syntaxError.message).toContain(`column ${syntaxError.column}:`);
  }
}

describe('the parser under random input', () => {
  it('never crashes on strings built from the language alphabet, and locates every rejection', () => {
    fc.assert(
      fc.property(nearConditions, (input) => checkNeverCrashes(input)),
      { numRuns: 20_000 },
    );
  });

  it('never crashes on arbitrary strings', () => {
    fc.assert(
      fc.property(anyStrings, (input) => checkNeverCrashes(input)),
      { numRuns: 10_000 },
    );
  });

  it('accepts every well-formed condition it generates', () => {
    const op = fc.constantFrom('>>', '<<', '>=', '<=', '!=', '==', '>', '<', '=');
    const prefix = fc.constantFrom('', '+', '-', '++', '--');
    const digits = fc.stringMatching(/^[0-9]{1,6}(\.[0-9]{1,4})?$/);
    const tail = fc.constantFrom('', '%', 'k', 'M', 'B', 'K');
    const ws = fc.constantFrom('', ' ', '  ', '\t');
    fc.assert(
      fc.property(ws, op, ws, prefix, digits, tail, ws, (a, o, b, p, d, t, c) => {
        const condition = compileCondition(`${a}${o}${b}${p}${d}${t}${c}`);
        expect(condition.absolute).toBe(p === '');
      }),
      { numRuns: 5_000 },
    );
  });
});
