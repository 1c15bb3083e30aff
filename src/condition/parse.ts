/**
 * @module condition/parse — text to AST, through the peggy-generated parser only.
 */
import type { ConditionNode } from './ast.js';
import { ConditionSyntaxError } from './errors.js';
import { parse as peggyParse, SyntaxError as PeggySyntaxError } from './parser.generated.js';

interface PeggyExpectation {
  type: string;
  description?: string;
  text?: string;
}

/** Parses one condition; throws ConditionSyntaxError with column and expectations. */
export function parseCondition(condition: string): ConditionNode {
  try {
    return peggyParse(condition) as ConditionNode;
  } catch (error) {
    if (error instanceof PeggySyntaxError) throw toSyntaxError(condition, error);
    throw error;
  }
}

function toSyntaxError(condition: string, error: InstanceType<typeof PeggySyntaxError>): ConditionSyntaxError {
  const column = error.location?.start.column ?? 1;
  const expectations = (error.expected ?? null) as PeggyExpectation[] | null;
  if (expectations === null) {
    // Raised by an `error()` call in the grammar: the message is already a full reason.
    return new ConditionSyntaxError(condition, column, error.message, []);
  }
  const expected = describeExpected(expectations);
  return new ConditionSyntaxError(condition, column, `expected ${joinAlternatives(expected)}`, expected);
}

/** Peggy lists whitespace and partial literals too; keep the named, meaningful ones. */
function describeExpected(expectations: PeggyExpectation[]): string[] {
  const seen = new Set<string>();
  for (const expectation of expectations) {
    if (expectation.type === 'other' && expectation.description !== undefined) {
      if (expectation.description !== 'whitespace') seen.add(expectation.description);
    } else if (expectation.type === 'literal' && expectation.text !== undefined) {
      seen.add(`"${expectation.text}"`);
    } else if (expectation.type === 'end') {
      seen.add('end of the condition');
    }
  }
  // Inside a number, "_" and "." are only ways to continue with more digits: say "a digit".
  if (seen.has('a digit')) {
    seen.delete('"_"');
    seen.delete('"."');
  }
  if (seen.size === 0) seen.add('end of the condition');
  return [...seen];
}

function joinAlternatives(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'a valid condition';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}
