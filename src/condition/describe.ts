/**
 * @module condition/describe — a condition in plain English, for `explain` and messages.
 */
import type { Comparison } from './ast.js';
import type { ConditionKind } from './kinds.js';

export interface DescribeParts {
  comparison: Comparison;
  once: boolean;
  kind: ConditionKind;
  sign: '+' | '-' | null;
  value: number;
}

const LEVEL_WORDS: Record<Comparison, string> = {
  '>': 'above',
  '<': 'below',
  '>=': 'at or above',
  '<=': 'at or below',
  '=': 'exactly',
  '!=': 'not',
};
const AMOUNT_WORDS: Record<Comparison, string> = {
  '>': 'more than',
  '<': 'less than',
  '>=': 'at least',
  '<=': 'at most',
  '=': 'exactly',
  '!=': 'other than',
};
const SINCE = 'since the last check';

const numberFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 10 });

/**
 * Describes a compiled condition; `noun` names what is measured ("the price", "the portfolio
 * value"), `since` what a change is against ("since the last check", "against the 60 s before").
 */
export function describeCondition(parts: DescribeParts, noun = 'the price', since = SINCE): string {
  const body = describeBody(parts, noun, since);
  return parts.once ? `once, when ${body}` : `when ${body}`;
}

function describeBody({ comparison, kind, sign, value }: DescribeParts, subject: string, since: string): string {
  const amount = numberFormat.format(value);
  const words = AMOUNT_WORDS[comparison];
  switch (kind) {
    case 'level': {
      const signed = sign === '-' ? `-${amount}` : amount;
      return `${subject} is ${LEVEL_WORDS[comparison]} ${signed}`;
    }
    case 'change%':
      if (sign === null) return `${subject} changes by ${words} ${amount}% (up or down) ${since}`;
      if (sign === '+' && (comparison === '>' || comparison === '>=')) return `${subject} rises by ${words} ${amount}% ${since}`;
      if (sign === '-' && (comparison === '<' || comparison === '<=')) {
        return `${subject} falls by ${comparison === '<' ? 'more than' : 'at least'} ${amount}% ${since}`;
      }
      return `the change of ${subject} ${since} is ${LEVEL_WORDS[comparison]} ${sign}${amount}%`;
    case 'rise':
    case 'rise%':
    case 'fall':
    case 'fall%': {
      const verb = kind.startsWith('rise') ? 'rises' : 'falls';
      const unit = kind.endsWith('%') ? '%' : '';
      if (comparison === '>' || comparison === '>=' || comparison === '=') return `${subject} ${verb} by ${words} ${amount}${unit} ${since}`;
      const noun = verb === 'rises' ? 'rise' : 'fall';
      return `the ${noun} of ${subject} ${since} is ${words} ${amount}${unit} (the opposite move counts as a negative ${noun})`;
    }
  }
}
