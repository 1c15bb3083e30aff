/**
 * @module condition/errors — the syntax error of the condition language.
 */
import { AsterwatchError } from '../errors.js';

/** A condition that does not parse. `column` is 1-based; the message shows a caret under it. */
export class ConditionSyntaxError extends AsterwatchError {
  /** 1-based column of the first character that cannot continue a valid condition. */
  readonly column: number;
  /** What would have been accepted at `column`, in words (may be empty for whole-operand errors). */
  readonly expected: string[];
  /** The condition as given. */
  readonly condition: string;
  /** The reason without the condition and caret, e.g. `expected a number`. */
  readonly reason: string;

  constructor(condition: string, column: number, reason: string, expected: string[]) {
    super('CONDITION_SYNTAX', `condition ${JSON.stringify(condition)}: column ${column}: ${reason}\n${caretLine(condition, column)}`);
    this.column = column;
    this.expected = expected;
    this.condition = condition;
    this.reason = reason;
  }
}

/** Two lines: the expression (tabs shown as spaces so the caret aligns) and a caret under `column`. */
export function caretLine(condition: string, column: number, indent = '  '): string {
  const shown = condition.replace(/\t/g, ' ');
  return `${indent}${shown}\n${indent}${' '.repeat(Math.max(0, column - 1))}^`;
}
