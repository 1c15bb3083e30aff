/**
 * @module events/kind — what an event is in an alert's life, read from its type and data, for
 * sinks that render each kind differently (Telegram, Discord, Slack, email).
 *
 * - `met`: a condition fired (`asterex.<x>.condition_met`).
 * - `reminder`: the same type, `data.reminder: true` and `data.firing_since` (ISO time): a
 *   once-condition that fired still holds after `repeat_interval`.
 * - `resolved`: `asterex.<x>.condition_resolved`, with `data.fired_at` (ISO time) and
 *   `data.duration_seconds`: a condition that fired stopped holding (`notify_resolved`).
 * - `test`: `asterwatch.test`, sent by `test-sink` or the dashboard's test button.
 */
import type { AlertEvent } from './envelope.js';

export type EventKind = 'met' | 'reminder' | 'resolved' | 'test';

export const TEST_EVENT_TYPE = 'asterwatch.test';
const RESOLVED_SUFFIX = '.condition_resolved';
const MET_SUFFIX = '.condition_met';

export function eventKind(event: AlertEvent): EventKind {
  if (event.type === TEST_EVENT_TYPE) return 'test';
  if (event.type.endsWith(RESOLVED_SUFFIX)) return 'resolved';
  if ((event.data as unknown as { reminder?: unknown }).reminder === true) return 'reminder';
  return 'met';
}

/** The met type of a resolved type (the mode that raised it renders both). */
export function metTypeOf(resolvedType: string): string {
  return resolvedType.endsWith(RESOLVED_SUFFIX) ? resolvedType.slice(0, -RESOLVED_SUFFIX.length) + MET_SUFFIX : resolvedType;
}

/** The resolved type of a met type: `asterex.market.condition_met` → `asterex.market.condition_resolved`. */
export function resolvedTypeOf(metType: string): string {
  return metType.endsWith(MET_SUFFIX) ? metType.slice(0, -MET_SUFFIX.length) + RESOLVED_SUFFIX : `${metType}${RESOLVED_SUFFIX}`;
}
