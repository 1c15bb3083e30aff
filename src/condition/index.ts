/**
 * @module condition — the condition language: parse, compile, evaluate, severity, describe.
 */
export type { ConditionNode, OperandNode, Comparison, WrittenOperator, SourceLocation } from './ast.js';
export { compileCondition, type CompiledCondition } from './compile.js';
export { ConditionSyntaxError, caretLine } from './errors.js';
export type { Evaluation, EvaluationInput } from './evaluation.js';
export type { ConditionKind } from './kinds.js';
export { parseCondition } from './parse.js';
export {
  SEVERITY,
  changeSeverity,
  levelOrChangeSeverity,
  severityFromChange,
  severityFromLevel,
  type Severity,
  type SeverityLabel,
  type SeverityInput,
  type SeverityRule,
  type SeverityCondition,
} from './severity.js';
