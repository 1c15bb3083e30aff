import { describe, expect, it } from 'vitest';
import { caretLine, compileCondition, ConditionSyntaxError } from '../../src/condition/index.js';

function syntaxError(condition: string): ConditionSyntaxError {
  try {
    compileCondition(condition);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(condition)} to be rejected`);
}

describe('the syntax error of a long condition', () => {
  it('keeps a short condition whole', () => {
    expect(syntaxError('>> ++x').message).toBe('condition ">> ++x": column 6: expected a number\n  >> ++x\n       ^');
    const sixty = `> ${'1'.repeat(57)}x`;
    expect(syntaxError(sixty).message.split('\n')).toEqual([
      `condition "${sixty}": column 60: expected a digit, a suffix (k, K, M, B), "%" or end of the condition`,
      `  ${sixty}`,
      `  ${' '.repeat(59)}^`,
    ]);
  });

  it('shows 60 characters around the error column, with … on both cut sides and the caret under the character', () => {
    const error = syntaxError(`>> ${'1'.repeat(100)}x${'1'.repeat(100)}`);
    const shown = `…${'1'.repeat(30)}x${'1'.repeat(29)}…`;
    expect(error.column).toBe(104);
    expect(error.message.split('\n')).toEqual([
      `condition "${shown}": column 104: expected a digit, a suffix (k, K, M, B), "%" or end of the condition`,
      `  ${shown}`,
      `  ${' '.repeat(31)}^`,
    ]);
    expect(error.condition).toHaveLength(204);
  });

  it('cuts only the end when the error is near the start', () => {
    const error = syntaxError(`>> ++x${'y'.repeat(100)}`);
    const shown = `>> ++x${'y'.repeat(54)}…`;
    expect(error.message.split('\n')).toEqual([`condition "${shown}": column 6: expected a number`, `  ${shown}`, '       ^']);
  });

  it('cuts only the start when the error is at the end, with the caret just past the last character', () => {
    const error = syntaxError(`>>${' '.repeat(100)}`);
    expect(error.column).toBe(103);
    expect(error.message.split('\n')).toEqual([
      `condition "…${' '.repeat(60)}": column 103: expected a delta (++ or --), a sign (+ or -) or a number`,
      `  …${' '.repeat(60)}`,
      `  ${' '.repeat(61)}^`,
    ]);
  });

  it('keeps the message of a 1 MB condition short', () => {
    const error = syntaxError(`>> ${'0'.repeat(1 << 20)}x`);
    expect(error.message.length).toBeLessThan(300);
    expect(error.condition).toHaveLength((1 << 20) + 4);
  });

  it('does not split a character made of two UTF-16 units at a cut', () => {
    // Column 51 puts both cuts between the halves of a rocket.
    const line = caretLine(`>> ${'🚀'.repeat(100)}`, 51).split('\n')[0]!;
    expect(line).toBe(`  …${'🚀'.repeat(29)}…`);
    expect(line).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  it('shows control characters as spaces, so the caret stays on the line below', () => {
    expect(caretLine('>\n\t5x', 5)).toBe('  >  5x\n      ^');
  });
});
