import { describe, expect, it } from 'vitest';
import { ConditionSyntaxError, parseCondition } from '../../src/condition/index.js';

function syntaxError(condition: string): ConditionSyntaxError {
  try {
    parseCondition(condition);
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(condition)} to be rejected`);
}

describe('the condition grammar', () => {
  it('parses Operator: every operator, == as written', () => {
    for (const op of ['>>', '<<', '>=', '<=', '!=', '==', '>', '<', '=']) {
      expect(parseCondition(`${op} 1`).op).toBe(op);
    }
  });

  it('parses Delta: ++ is a rise and -- a fall', () => {
    expect(parseCondition('> ++5').operand.delta).toBe('rise');
    expect(parseCondition('> --5').operand.delta).toBe('fall');
    expect(parseCondition('> 5').operand.delta).toBeNull();
  });

  it('parses Sign: + and - are kept, absent is null', () => {
    expect(parseCondition('> +5%').operand.sign).toBe('+');
    expect(parseCondition('< -15%').operand.sign).toBe('-');
    expect(parseCondition('< 15%').operand.sign).toBeNull();
  });

  it.each([
    ['> 5', 5],
    ['> 5.25', 5.25],
    ['> .5', 0.5],
    ['> 10_000_000', 10_000_000],
    ['> 1.1k', 1100],
    ['> 2K', 2000],
    ['> 1.5M', 1_500_000],
    ['> 3B', 3_000_000_000],
    ['> 0', 0],
  ])('parses Number and Suffix: %s is %d', (condition, value) => {
    expect(parseCondition(condition).operand.value).toBe(value);
  });

  it('parses Percent only when it touches the number', () => {
    expect(parseCondition('> 5%').operand.percent).toBe(true);
    expect(parseCondition('> 5').operand.percent).toBe(false);
    expect(syntaxError('>  5 %').column).toBe(6);
  });

  it('accepts spaces and tabs around the operator and the operand', () => {
    const ast = parseCondition('\t>>\t .5%  ');
    expect(ast.op).toBe('>>');
    expect(ast.operand.text).toBe('.5%');
    expect(ast.operand.location.start.column).toBe(6);
  });

  it.each([
    ['', 1, 'expected an operator (> < >= <= = == != >> <<)'],
    ['>> ++x', 6, 'expected a number'],
    ['> 5 6', 5, 'expected end of the condition'],
    ['> ++-5', 5, 'a sign (+ or -) cannot follow ++; write ++N or -N'],
    ['> 5k%', 5, 'a suffix (k) cannot be combined with %'],
    ['> 1_', 5, 'expected a digit'],
    ['> 1__0', 5, 'expected a digit'],
    [`> 1${'0'.repeat(400)}`, 3, 'the number is too large'],
  ])('explains %j at column %d: %s', (condition, column, reason) => {
    const error = syntaxError(condition);
    expect(error.column).toBe(column);
    expect(error.reason).toBe(reason);
  });

  it('shows the expression with a caret under the column', () => {
    const error = syntaxError('>> ++x');
    expect(error.message).toBe('condition ">> ++x": column 6: expected a number\n  >> ++x\n       ^');
    expect(error.expected).toEqual(['a number']);
  });

  it('lists what was expected in words', () => {
    expect(syntaxError('> abc').expected).toEqual(['a delta (++ or --)', 'a sign (+ or -)', 'a number']);
  });
});
