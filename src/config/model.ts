/**
 * @module config/model — the validated configuration the service runs on.
 */
import type { SinkConfig } from '../delivery/sinks/registry.js';
import type { AlertPolicy } from '../lifecycle/policy.js';
import type { Mode } from '../modes/mode.js';
import type { LiquidationFeedConfig } from './liquidations.js';

/** Where a value was written, for messages after loading (unknown assets). */
export interface SourceRef {
  file: string;
  line: number;
  column: number;
  path: string;
}

/** One monitor: the fields every mode shares, and its mode's settings. */
export interface MonitorConfig<S = unknown> {
  readonly name: string;
  /** The `monitoring_mode` value. */
  readonly mode: string;
  /** The mode that measures it (everything mode-specific goes through it). */
  readonly plugin: Mode<S>;
  readonly intervalSeconds: number;
  /** A cron expression replacing the interval, or null. */
  readonly schedule: string | null;
  /** Sink names. */
  readonly notify: readonly string[];
  /** What the mode built from its own fields. */
  readonly settings: S;
  /** Resolved notices, reminders or cooldown, hysteresis (NO_POLICY when none is set). */
  readonly alerting: AlertPolicy;
  /**
   * A digest (SHA-256's first 53 bits, a number) of the monitor as written (after `${VAR}` expansion), as canonical JSON: a
   * live reload keeps a monitor whose definition did not change (its state and schedule). A
   * digest, not the text: the text may hold credentials, and only equality is ever asked.
   */
  readonly definition?: number;
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
  /** The recorded liquidation feed (`liquidations:`), or null when the section is absent. */
  liquidations: LiquidationFeedConfig | null;
  /** Events (and their settled deliveries) older than this many days are deleted. */
  retentionDays: number;
  monitors: MonitorConfig[];
  /** Declared sinks plus the built-in `stdout`. */
  sinks: Record<string, SinkConfig>;
  warnings: ConfigWarning[];
}
