/**
 * @module config/model — the validated configuration the service runs on.
 */
import type { CompiledCondition } from '../condition/index.js';
import type { SinkConfig } from '../delivery/sinks/registry.js';
import type { Credentials } from '../exchange/index.js';
import type { MonitorMode } from '../condition/index.js';

/** Where a value was written, for messages after loading (unknown assets). */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
  path: string;
}

export interface MarketSubjectConfig {
  asset: string;
  symbol: string;
  condition: CompiledCondition;
  /** True when the documented default `> 10` applies (it fires on every check above 10). */
  defaultCondition: boolean;
  ref: SourceRef;
}

export interface PortfolioConfig {
  condition: CompiledCondition;
  /** Null when mock data is used. */
  credentials: Credentials | null;
  /** Parsed `mock_account_data`, or null for the live account. */
  mockAccountData: unknown;
}

export interface MonitorConfig {
  name: string;
  mode: MonitorMode;
  intervalSeconds: number;
  /** A cron expression replacing the interval, or null. */
  schedule: string | null;
  /** Market mode: the assets watched. Empty in portfolio mode. */
  assets: MarketSubjectConfig[];
  /** Portfolio mode settings; null in market mode. */
  portfolio: PortfolioConfig | null;
  /** Sink names. */
  notify: string[];
  ref: SourceRef;
}

export interface ConfigWarning {
  ref: SourceRef;
  message: string;
}

export interface OutboxSettings {
  deadAfterSeconds: number;
  deadAfterAttempts: number;
}

export interface LoadedConfig {
  file: string;
  outbox: OutboxSettings;
  monitors: MonitorConfig[];
  /** Declared sinks plus the built-in `stdout`. */
  sinks: Record<string, SinkConfig>;
  warnings: ConfigWarning[];
}
