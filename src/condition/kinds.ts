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
