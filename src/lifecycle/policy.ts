/**
 * @module lifecycle/policy — what a monitor asks of an alert's life after it fires:
 * `notify_resolved`, `repeat_interval` (reminders for a once-condition, a cooldown for a
 * repeating one) and `rearm` (hysteresis for a once-condition).
 */
import type { CompiledCondition } from '../condition/index.js';

export interface AlertPolicy {
  /** Any of the three is set: the lifecycle runs for this monitor. */
  readonly active: boolean;
  /** Raise `condition_resolved` when a condition that fired stops holding. */
  readonly notifyResolved: boolean;
  /** Reminders (once-conditions) / cooldown (repeating ones), in ms; null when unset. */
  readonly repeatIntervalMs: number | null;
  /** A once-condition that fired re-arms only when this holds; null: when the condition stops holding. */
  readonly rearm: CompiledCondition | null;
}

/** The default: an alert is raised and forgotten, as before the lifecycle existed. */
export const NO_POLICY: AlertPolicy = Object.freeze({ active: false, notifyResolved: false, repeatIntervalMs: null, rearm: null });

export function alertPolicy(notifyResolved: boolean, repeatIntervalSeconds: number | null, rearm: CompiledCondition | null): AlertPolicy {
  if (!notifyResolved && repeatIntervalSeconds === null && rearm === null) return NO_POLICY;
  return Object.freeze({ active: true, notifyResolved, repeatIntervalMs: repeatIntervalSeconds === null ? null : repeatIntervalSeconds * 1000, rearm });
}
