/**
 * @module condition/compile — a condition compiled once into an object that evaluates it.
 *
 * Compilation does the parsing and every decision that depends only on the text
 * (kind, comparison, threshold, absolute or signed); `evaluate` then only measures,
 * rounds and compares.
 */
import type { Comparison, ConditionNode } from './ast.js';
import { describeCondition } from './describe.js';
import { RESULT, type Evaluation, type EvaluationInput } from './evaluation.js';
import { kindOf, type ConditionKind } from './kinds.js';
import { parseCondition } from './parse.js';
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
  /** The same as `evaluate`, without an input object (the hot path of a round). */
  test(current: number, previous: number | null, armed: boolean): Evaluation;
  /** The measured x before comparison (rounded), or null when not evaluable. */
  measure(current: number, previous: number | null): number | null;
  /** Severity of an event raised by this condition (conditions.md §4), by the mode's rule (default: change magnitude). */
  severity(input: SeverityInput, rule?: SeverityRule): Severity;
  /** Plain-English description of what is measured, e.g. "once, when the price rises by more than 25% since the last check". */
  describe(noun?: string, since?: string): string;
}

/** Kinds and comparisons as small integers: one shared, monomorphic evaluator switches on them. */
const KIND_CODE: Readonly<Record<ConditionKind, number>> = { level: 0, 'change%': 1, 'rise%': 1, 'fall%': 2, rise: 3, fall: 4 };
const COMPARISON_CODE: Readonly<Record<Comparison, number>> = { '>': 0, '<': 1, '>=': 2, '<=': 3, '=': 4, '!=': 5 };

const SCALE = 1e10;
const EXACT_LIMIT = 2 ** 53;

function comparisonOf(op: ConditionNode['op']): Comparison {
  if (op === '>>') return '>';
  if (op === '<<') return '<';
  if (op === '==') return '=';
  return op;
}

/**
 * Every compiled condition is an instance of this one class, evaluated by one method on its
 * prototype that switches on small integers. Why not a closure per condition: a round calls
 * `evaluate` for thousands of different conditions from one call site, and distinct closures
 * make that site megamorphic (4× slower in a mixed benchmark, bench/conditions-mixed.mjs).
 */
class Condition implements CompiledCondition {
  readonly needsPrevious: boolean;
  readonly level: number | null;
  private readonly kindCode: number;
  private readonly comparisonCode: number;

  constructor(
    readonly source: string,
    readonly ast: ConditionNode,
    readonly kind: ConditionKind,
    readonly comparison: Comparison,
    readonly once: boolean,
    readonly threshold: number,
    readonly absolute: boolean,
  ) {
    this.needsPrevious = kind !== 'level';
    this.level = kind === 'level' ? threshold : null;
    this.kindCode = KIND_CODE[kind];
    this.comparisonCode = COMPARISON_CODE[comparison];
  }

  evaluate(input: EvaluationInput): Evaluation {
    return this.test(input.current, input.previous, input.armed);
  }

  test(current: number, previous: number | null, armed: boolean): Evaluation {
    const x = this.measured(current, previous, this.absolute);
    if (x !== x) return armed ? RESULT.notEvaluableArmed : RESULT.notEvaluableDisarmed; // NaN: not evaluable
    let met: boolean;
    switch (this.comparisonCode) {
      case 0:
        met = x > this.threshold;
        break;
      case 1:
        met = x < this.threshold;
        break;
      case 2:
        met = x >= this.threshold;
        break;
      case 3:
        met = x <= this.threshold;
        break;
      case 4:
        met = x === this.threshold;
        break;
      default:
        met = x !== this.threshold;
    }
    if (this.once) {
      if (!met) return RESULT.notMetArmed;
      return armed ? RESULT.firedDisarmed : RESULT.heldDisarmed;
    }
    if (!met) return armed ? RESULT.notMetArmed : RESULT.notMetDisarmed;
    return armed ? RESULT.firedArmed : RESULT.firedDisarmed;
  }

  measure(current: number, previous: number | null): number | null {
    const x = this.measured(current, previous, false);
    return x === x ? x : null;
  }

  severity(input: SeverityInput, rule: SeverityRule = changeSeverity): Severity {
    return rule(this, input);
  }

  describe(noun?: string, since?: string): string {
    const { sign, value } = this.ast.operand;
    return describeCondition({ comparison: this.comparison, once: this.once, kind: this.kind, sign, value }, noun, since);
  }

  /** x measured (|x| when `absolute`), rounded to 10 decimals (conditions.md §2); NaN when not evaluable. */
  private measured(current: number, previous: number | null, absolute: boolean): number {
    let x: number;
    switch (this.kindCode) {
      case 0:
        x = current;
        break;
      case 1:
        if (previous === null || previous === 0) return NaN;
        x = ((current - previous) * 100) / previous;
        break;
      case 2:
        if (previous === null || previous === 0) return NaN;
        x = ((previous - current) * 100) / previous;
        break;
      case 3:
        if (previous === null) return NaN;
        x = current - previous;
        break;
      default:
        if (previous === null) return NaN;
        x = previous - current;
    }
    if (x - x !== 0) return NaN; // Infinity or NaN
    if (absolute && x < 0) x = -x;
    // roundTo10, inlined: this is the hot path.
    const scaled = x * SCALE;
    if (scaled >= EXACT_LIMIT || scaled <= -EXACT_LIMIT) return x;
    return Math.round(scaled) / SCALE + 0;
  }
}

/**
 * Compiled conditions by source: a compiled condition is immutable, so monitors written with
 * the same condition share one (10,000 monitors often use a handful of conditions, and each
 * compiled one holds its syntax tree). Bounded: when full it starts over, so a service whose
 * file is edited for months does not keep every condition it ever saw.
 */
const compiled = new Map<string, CompiledCondition>();
const COMPILED_KEPT = 4096;

/** Parses and compiles a condition. Throws ConditionSyntaxError on bad input. */
export function compileCondition(source: string): CompiledCondition {
  const known = compiled.get(source);
  if (known !== undefined) return known;
  const ast = parseCondition(source);
  const { operand } = ast;
  const once = ast.op === '>>' || ast.op === '<<';
  const threshold = operand.sign === '-' ? -operand.value : operand.value;
  const condition = Object.freeze(
    new Condition(source, ast, kindOf(operand), comparisonOf(ast.op), once, threshold, operand.sign === null && operand.delta === null),
  );
  if (compiled.size >= COMPILED_KEPT) compiled.clear();
  compiled.set(source, condition);
  return condition;
}
