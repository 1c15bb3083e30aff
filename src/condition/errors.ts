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
    super('CONDITION_SYNTAX', `condition ${quoteCondition(condition, column)}: column ${column}: ${reason}\n${caretLine(condition, column)}`);
    this.column = column;
    this.expected = expected;
    this.condition = condition;
    this.reason = reason;
  }
}

/** The most of a condition a message shows; a longer one is cut around the error column. */
export const SHOWN_CONDITION_LENGTH = 60;

/** The condition in quotes, as messages show it: whole, or its part around `column`. */
export function quoteCondition(condition: string, column: number): string {
  return JSON.stringify(excerpt(condition, column).text);
}

/**
 * Two lines: the condition (whole, or its part around `column`) and a caret under
 * `column`. Control characters are shown as spaces, so the caret aligns and the
 * message keeps its lines.
 */
export function caretLine(condition: string, column: number, indent = '  '): string {
  const { text, caretColumn } = excerpt(condition, column);
  return `${indent}${text.replace(/\p{Cc}/gu, ' ')}\n${indent}${' '.repeat(Math.max(0, caretColumn - 1))}^`;
}

/**
 * At most SHOWN_CONDITION_LENGTH characters of `condition` around `column`, with … on
 * each side that was cut (a megabyte of condition must not make a megabyte of message),
 * and the column of the caret in what is shown.
 */
function excerpt(condition: string, column: number): { text: string; caretColumn: number } {
  if (condition.length <= SHOWN_CONDITION_LENGTH) return { text: condition, caretColumn: column };
  const at = Math.min(Math.max(column - 1, 0), condition.length);
  let start = Math.max(0, Math.min(at - SHOWN_CONDITION_LENGTH / 2, condition.length - SHOWN_CONDITION_LENGTH));
  let end = start + SHOWN_CONDITION_LENGTH;
  // Never cut between the two halves of a character outside the Basic Multilingual Plane.
  if (start > 0 && isLowSurrogate(condition.charCodeAt(start))) start++;
  if (end < condition.length && isLowSurrogate(condition.charCodeAt(end))) end--;
  const before = start > 0 ? '…' : '';
  const after = end < condition.length ? '…' : '';
  return { text: `${before}${condition.slice(start, end)}${after}`, caretColumn: at - start + 1 + before.length };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
