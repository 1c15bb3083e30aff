/**
 * @module config — monitors.yaml: load, validate, and report problems with positions.
 */
export { loadConfig, parseConfig } from './load.js';
export { unknownAssetProblems } from './assets.js';
export { ConfigError, ConfigFileError, formatProblem, type ConfigProblem } from './errors.js';
export type { LoadedConfig, MonitorConfig, MarketSubjectConfig, PortfolioConfig, ConfigWarning, SourceRef } from './model.js';
export { DEFAULTS, MIN_INTERVAL, MAX_INTERVAL } from './schema.js';
