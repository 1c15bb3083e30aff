/**
 * @module asterwatch — the package's public API.
 */
export {
  compileCondition,
  parseCondition,
  ConditionSyntaxError,
  SEVERITY,
  changeSeverity,
  levelOrChangeSeverity,
  type CompiledCondition,
  type ConditionKind,
  type ConditionNode,
  type Evaluation,
  type EvaluationInput,
  type Severity,
  type SeverityInput,
  type SeverityLabel,
  type SeverityRule,
} from './condition/index.js';
export * from './events/index.js';
export { marketEvent, MARKET_EVENT_TYPE, type MarketEventData } from './modes/market/index.js';
export { portfolioEvent, PORTFOLIO_EVENT_TYPE, type PortfolioEventData } from './modes/portfolio/index.js';
export { positionsEvent, POSITIONS_EVENT_TYPE, type PositionsEventData } from './modes/positions/index.js';
export type { Mode } from './modes/mode.js';
export { ModeRegistry, MODES } from './modes/registry.js';
export { AsterwatchError } from './errors.js';
