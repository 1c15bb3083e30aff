/**
 * @module condition/compile — a condition compiled once into a closure that evaluates it.
 *
 * Compilation does the parsing and every decision that depends only on the text
 * (kind, comparison, threshold, absolute or signed); `evaluate` then only measures,
 * rounds and compares.
 */
import type { Comparison, ConditionNode } from './ast.js';
import { describeCondition } from './describe.js';
import { RESULT, type Evaluation, type EvaluationInput } from './evaluation.js';
import { kindOf, MEASURES, type ConditionKind } from './kinds.js';
import { parseCondition } from './parse.js';
import { roundTo10 } from './rounding.js';
import { changeSeverity, type Severity, type SeverityInput, type SeverityRule } from './severity.js';

/** A condition ready to evaluate many times. */
export interface CompiledCondition {
  /** The expression as written. */
  readonly source: string;
  readonly ast: ConditionNode;
  readonly kind: ConditionKind;
  readonly comparison: Comparison;
  /** True for `>>` and `<<`: fires only on a false-to-true edge. */
  readonly once: boolean;
  /** The signed N that x is compared with. */
  readonly threshold: number;
  /** True when neither sign nor delta is written: |x| is compared. */
  readonly absolute: boolean;
  /** True when the condition cannot be evaluated without a previous value. */
  readonly needsPrevious: boolean;
  /** The price/value level a chart can draw, or null when the condition is about change. */
  readonly level: number | null;
  /** Applies the condition and the once/edge rule to one check. */
  evaluate(input: EvaluationInput): Evaluation;
  /** The measured x before comparison (rounded), or null when not evaluable. */
  measure(current: number, previous: number | null): number | null;
  /** Severity of an event raised by this condition (conditions.md §4), by the mode's rule (default: change magnitude). */
  severity(input: SeverityInput, rule?: SeverityRule): Severity;
  /** Plain-English description of what is measured, e.g. "once, when the price rises by more than 25% since the last check". */
  describe(noun?: string, since?: string): string;
}

const COMPARATORS: Readonly<Record<Comparison, (x: number, n: number) => boolean>> = {
  '>': (x, n) => x > n,
  '<': (x, n) => x < n,
  '>=': (x, n) => x >= n,
  '<=': (x, n) => x <= n,
  '=': (x, n) => x === n,
  '!=': (x, n) => x !== n,
};

function comparisonOf(op: ConditionNode['op']): Comparison {
  if (op === '>>') return '>';
  if (op === '<<') return '<';
  if (op === '==') return '=';
  return op;
}

/** Parses and compiles a condition. Throws ConditionSyntaxError on bad input. */
export function compileCondition(source: string): CompiledCondition {
  const ast = parseCondition(source);
  const { operand } = ast;
  const kind = kindOf(operand);
  const comparison = comparisonOf(ast.op);
  const once = ast.op === '>>' || ast.op === '<<';
  const absolute = operand.sign === null && operand.delta === null;
  const threshold = operand.sign === '-' ? -operand.value : operand.value;
  const measureRaw = MEASURES[kind];
  const compare = COMPARATORS[comparison];

  // Specialised per `once` so the hot path has no branch on it.
  const evaluate = once
    ? (input: EvaluationInput): Evaluation => {
        let x = measureRaw(input.current, input.previous);
        if (!Number.isFinite(x)) return input.armed ? RESULT.notEvaluableArmed : RESULT.notEvaluableDisarmed;
        if (absolute && x < 0) x = -x;
        if (!compare(roundTo10(x), threshold)) return RESULT.notMetArmed;
        return input.armed ? RESULT.firedDisarmed : RESULT.heldDisarmed;
      }
    : (input: EvaluationInput): Evaluation => {
        let x = measureRaw(input.current, input.previous);
        if (!Number.isFinite(x)) return input.armed ? RESULT.notEvaluableArmed : RESULT.notEvaluableDisarmed;
        if (absolute && x < 0) x = -x;
        if (!compare(roundTo10(x), threshold)) return input.armed ? RESULT.notMetArmed : RESULT.notMetDisarmed;
        return input.armed ? RESULT.firedArmed : RESULT.firedDisarmed;
      };

  const compiled: CompiledCondition = Object.freeze({
    source,
    ast,
    kind,
    comparison,
    once,
    threshold,
    absolute,
    needsPrevious: kind !== 'level',
    level: kind === 'level' ? threshold : null,
    evaluate,
    measure(current: number, previous: number | null): number | null {
      const x = measureRaw(current, previous);
      return Number.isFinite(x) ? roundTo10(x) : null;
    },
    severity(input: SeverityInput, rule: SeverityRule = changeSeverity): Severity {
      return rule(compiled, input);
    },
    describe(noun?: string, since?: string): string {
      return describeCondition({ comparison, once, kind, sign: operand.sign, value: operand.value }, noun, since);
    },
  });
  return compiled;
}
