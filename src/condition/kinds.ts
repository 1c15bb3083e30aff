/**
 * @module condition/kinds — what an operand measures (conditions.md §2).
 */
import type { OperandNode } from './ast.js';

/** The measured quantity x of a condition. */
export type ConditionKind = 'level' | 'change%' | 'rise' | 'fall' | 'rise%' | 'fall%';

/** Which quantity an operand form measures. */
export function kindOf(operand: OperandNode): ConditionKind {
  if (operand.delta === null) return operand.percent ? 'change%' : 'level';
  if (operand.delta === 'rise') return operand.percent ? 'rise%' : 'rise';
  return operand.percent ? 'fall%' : 'fall';
}

/**
 * A function computing x from current and previous; NaN means "not evaluable"
 * (no previous, or a zero previous under a percentage). NaN never leaves the compiler.
 */
export type Measure = (current: number, previous: number | null) => number;

export const MEASURES: Readonly<Record<ConditionKind, Measure>> = {
  level: (current) => current,
  'change%': (current, previous) => (previous === null || previous === 0 ? NaN : ((current - previous) * 100) / previous),
  'rise%': (current, previous) => (previous === null || previous === 0 ? NaN : ((current - previous) * 100) / previous),
  'fall%': (current, previous) => (previous === null || previous === 0 ? NaN : ((previous - current) * 100) / previous),
  rise: (current, previous) => (previous === null ? NaN : current - previous),
  fall: (current, previous) => (previous === null ? NaN : previous - current),
};
