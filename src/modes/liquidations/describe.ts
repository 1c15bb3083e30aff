/**
 * @module modes/liquidations/describe — a liquidation monitor's condition in words.
 */
import type { CompiledCondition } from '../../condition/index.js';
import type { MonitorConfig } from '../../config/model.js';
import type { ExplainOptions } from '../mode.js';
import { MAX_WINDOW, MIN_WINDOW, perLiquidationRefusal } from './fields.js';
import type { LiquidationSettings } from './settings.js';
import { duration } from './telegram.js';

export const LIQUIDATION_EXPLAIN_FLAGS = {
  window: `seconds of a rolling window (${MIN_WINDOW}..${MAX_WINDOW}); without it, each liquidation is judged on its own`,
} as const;

export function describeLiquidationCondition(condition: CompiledCondition, monitor?: MonitorConfig<LiquidationSettings>, options?: ExplainOptions): string {
  const window = monitor?.settings.window ?? windowOption(options);
  if (window === null) return `${condition.describe("a liquidation's USD value")} (each matching liquidation is judged on its own)`;
  const span = duration(window);
  return condition.describe(`the USD liquidated in the last ${span}`, `against the ${span} before`);
}

/** What validation says of a per-liquidation condition, or of a window out of range. */
export function refuseLiquidationCondition(condition: CompiledCondition, options: ExplainOptions): string | null {
  const window = windowOption(options);
  return window === null ? perLiquidationRefusal(condition) : null;
}

/** `--window N` as seconds, or null; throws a RangeError naming the bounds. */
export function windowOption(options: ExplainOptions | undefined): number | null {
  const raw = options?.window;
  if (raw === undefined) return null;
  const seconds = Number(raw);
  if (!Number.isInteger(seconds) || seconds < MIN_WINDOW || seconds > MAX_WINDOW)
    throw new RangeError(`--window must be a whole number of seconds from ${MIN_WINDOW} to ${MAX_WINDOW}, got ${JSON.stringify(raw)}`);
  return seconds;
}
