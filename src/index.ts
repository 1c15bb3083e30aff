/**
 * @module asterwatch — the package's public API.
 */
export {
  compileCondition,
  parseCondition,
  ConditionSyntaxError,
  SEVERITY,
  type CompiledCondition,
  type ConditionKind,
  type ConditionNode,
  type Evaluation,
  type EvaluationInput,
  type MonitorMode,
  type Severity,
  type SeverityInput,
  type SeverityLabel,
} from './condition/index.js';
export * from './events/index.js';
export { AsterwatchError } from './errors.js';
