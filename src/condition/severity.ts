/**
 * @module condition/severity — severity is computed, never configured (conditions.md §4).
 *
 * The condition layer knows the bands, not the modes: a mode hands the condition the
 * rule that fits what it measures (a price's change, a level's distance, …).
 */
import type { ConditionKind } from './kinds.js';
import { roundTo10 } from './rounding.js';

export type SeverityLabel = 'critical' | 'high' | 'medium' | 'low';

export interface Severity {
  value: number;
  label: SeverityLabel;
}

/** The values a severity is computed from. */
export interface SeverityInput {
  current: number;
  previous: number | null;
}

/** What a rule may read of the condition that fired. */
export interface SeverityCondition {
  readonly kind: ConditionKind;
  readonly comparison: string;
  /** The signed N of the condition. */
  readonly threshold: number;
}

/** How a mode turns a met condition into a severity. */
export type SeverityRule = (condition: SeverityCondition, input: SeverityInput) => Readonly<Severity>;

/** The four severities, shared frozen objects so computing one allocates nothing. */
export const SEVERITY: Readonly<Record<SeverityLabel, Readonly<Severity>>> = Object.freeze({
  critical: Object.freeze({ value: 0.75, label: 'critical' }),
  high: Object.freeze({ value: 0.5, label: 'high' }),
  medium: Object.freeze({ value: 0.25, label: 'medium' }),
  low: Object.freeze({ value: 0.15, label: 'low' }),
}) as Readonly<Record<SeverityLabel, Readonly<Severity>>>;

/** Severity from the change magnitude m (percent), or medium when m is undefined. */
export function severityFromChange(current: number, previous: number | null): Readonly<Severity> {
  if (previous === null || previous === 0 || !Number.isFinite(previous) || !Number.isFinite(current)) return SEVERITY.medium;
  // |previous| keeps m a magnitude; the spec's values (prices, USD totals) are positive anyway.
  const m = roundTo10((Math.abs(current - previous) * 100) / Math.abs(previous));
  if (m >= 50) return SEVERITY.critical;
  if (m >= 25) return SEVERITY.high;
  if (m >= 10) return SEVERITY.medium;
  return SEVERITY.low;
}

/** Severity of a level condition, from how far the value is from the threshold N (r = |x| / |N|). */
export function severityFromLevel(current: number, threshold: number): Readonly<Severity> {
  if (threshold === 0 || !Number.isFinite(current)) return SEVERITY.low;
  const r = roundTo10(Math.abs(current) / Math.abs(threshold));
  if (r < 0.25) return SEVERITY.critical;
  if (r < 0.5) return SEVERITY.high;
  if (r < 0.75) return SEVERITY.medium;
  return SEVERITY.low;
}

/** Every condition banded by the change magnitude m (the market rule of §4). */
export const changeSeverity: SeverityRule = (_condition, { current, previous }) => severityFromChange(current, previous);

/** Level conditions by the ratio r, change conditions by m (the portfolio rule of §4). */
export const levelOrChangeSeverity: SeverityRule = (condition, { current, previous }) =>
  condition.kind === 'level' ? severityFromLevel(current, condition.threshold) : severityFromChange(current, previous);
