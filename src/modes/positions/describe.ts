/**
 * @module modes/positions/describe — a positions monitor's condition in words, for `explain` and the API.
 */
import type { CompiledCondition } from '../../condition/index.js';
import type { MonitorConfig } from '../../config/model.js';
import type { ExplainOptions } from '../mode.js';
import { MEASURE_NOUNS, MEASURES, type Measure } from './measure.js';
import type { PositionsSettings } from './settings.js';

export const POSITIONS_EXPLAIN_FLAGS = {
  measure: `what is measured of each open position: ${MEASURES.join(', ')} (default liquidation_distance)`,
} as const;

export function describePositionsCondition(condition: CompiledCondition, monitor?: MonitorConfig<PositionsSettings>, options?: ExplainOptions): string {
  const measure = monitor?.settings.measure ?? measureOption(options);
  return `${condition.describe(MEASURE_NOUNS[measure])}, for each open position`;
}

/** `--measure` as a measure; throws a RangeError naming the choices. */
export function measureOption(options: ExplainOptions | undefined): Measure {
  const raw = options?.measure;
  if (raw === undefined) return 'liquidation_distance';
  if (!(MEASURES as readonly string[]).includes(raw)) throw new RangeError(`--measure must be one of ${MEASURES.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as Measure;
}
