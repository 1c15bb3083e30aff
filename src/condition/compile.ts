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
import { severityFromChange, severityFromLevel, type MonitorMode, type Severity, type SeverityInput } from './severity.js';

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
  /** Severity of an event raised by this condition (conditions.md §4). */
  severity(input: SeverityInput): Severity;
  /** Plain-English description, e.g. "once, when the price rises by more than 25% since the last check". */
  describe(mode?: MonitorMode): string;
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

  return Object.freeze({
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
    severity({ mode, current, previous }: SeverityInput): Severity {
      if (mode === 'portfolio' && kind === 'level') return severityFromLevel(current, threshold);
      return severityFromChange(current, previous);
    },
    describe(mode?: MonitorMode): string {
      return describeCondition({ comparison, once, kind, sign: operand.sign, value: operand.value }, mode);
    },
  });
}
