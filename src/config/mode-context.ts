/**
 * @module config/mode-context — what a mode's meaning checks get from the loader.
 */
import type { YamlPath } from './positions.js';
import type { SourceRef } from './model.js';

/** A monitor as written (after `${VAR}` expansion), before or whatever its shape. */
export type RawMonitor = Readonly<Record<string, unknown>>;

/** Positions and problem reporting for one monitor. */
export interface ModeBuildContext {
  /** The monitor's name as written. */
  readonly monitorName: string;
  /** The path of the monitor, or of something under it: at('portfolio_condition'). */
  at(...rest: Array<string | number>): YamlPath;
  /** Reports a problem at `path` (at its key with `at: 'key'`). */
  problem(path: YamlPath, message: string, options?: { at?: 'value' | 'key' }): void;
  /** Reports a warning (printed by validate and at start; not fatal). */
  warn(path: YamlPath, message: string): void;
  /** A reference to `path` whose line and column are resolved when read. */
  ref(path: YamlPath): SourceRef;
  /** The monitor's index in `monitors`, and the file's references: `refs.under(index, tail)` is `ref(at(...tail))`, made when read. */
  readonly index: number;
  readonly refs: SourceRefs;
}

/**
 * References made on demand: a setting that keeps a reference for each of many monitors (each
 * market asset, for a later message about an unknown symbol) keeps this shared object and two
 * numbers rather than a reference object of its own (56 bytes a monitor, 56 MB at 1,000,000).
 */
export interface SourceRefs {
  under(monitor: number, tail: YamlPath): SourceRef;
}
