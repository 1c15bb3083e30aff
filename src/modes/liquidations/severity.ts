/**
 * @module modes/liquidations/severity — how big a liquidation (or a window's volume) is against its threshold (liquidations.md §3).
 *
 * A level condition with `>`, `>=`, `>>` or `=` watches for size: r = x / |N|, and 20× the
 * threshold is critical (with the default `>= 50k`: $100k medium, $250k high, $1M critical).
 * One with `<`, `<=`, `<<` or `!=` uses the portfolio level rule; a change condition on a
 * window, the change rule, against the window before.
 */
import { SEVERITY, severityFromChange, severityFromLevel, type Severity, type SeverityRule } from '../../condition/index.js';
import { roundTo10 } from '../../condition/rounding.js';

const SIZE_COMPARISONS = new Set(['>', '>=', '=']);

/** Severity of a size: r = x / |N| — ≥ 20 critical, ≥ 5 high, ≥ 2 medium, else low. */
export function severityFromSize(current: number, threshold: number): Readonly<Severity> {
  if (threshold === 0 || !Number.isFinite(current)) return SEVERITY.low;
  const r = roundTo10(current / Math.abs(threshold));
  if (r >= 20) return SEVERITY.critical;
  if (r >= 5) return SEVERITY.high;
  if (r >= 2) return SEVERITY.medium;
  return SEVERITY.low;
}

export const liquidationSeverity: SeverityRule = (condition, { current, previous }) => {
  if (condition.kind !== 'level') return severityFromChange(current, previous);
  return SIZE_COMPARISONS.has(condition.comparison) ? severityFromSize(current, condition.threshold) : severityFromLevel(current, condition.threshold);
};
