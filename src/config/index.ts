/**
 * @module config — monitors.yaml: load, validate, and report problems with positions.
 */
export { loadConfig, parseConfig, type LoadOptions } from './load.js';
export {
  exchangeProblems,
  unknownAssetProblems,
  needsExchangeLists,
  verifyAgainstExchange,
  type ExchangeVerification,
  type ListingFetchers,
} from './exchange-checks.js';
export { ConfigError, ConfigFileError, formatProblem, type ConfigProblem } from './errors.js';
export type { LoadedConfig, MonitorConfig, ConfigWarning, SourceRef, OutboxSettings } from './model.js';
export type { ModeBuildContext, RawMonitor } from './mode-context.js';
export { conditionField, nonEmpty } from './fields.js';
export { cronField, MIN_INTERVAL, MAX_INTERVAL } from './cadence.js';
export { DEFAULTS, COMMON_FIELDS } from './schema.js';
