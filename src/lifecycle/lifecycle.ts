/**
 * @module lifecycle/lifecycle — an alert's life after its condition fired, for every mode:
 * resolved notices, reminders, the cooldown and hysteresis. It runs after a mode's check (or
 * stream batch), on what the check measured and the subject's remembered alert, so modes only
 * measure and evaluate; it is pure, so a check evaluated again gives the same result.
 *
 * Per subject, with the monitor's policy:
 * - a **once-condition** (`>>`, `<<`) fires on its edge and starts a firing. While it holds,
 *   `repeat_interval` raises a reminder (the mode's event, `data.reminder: true`,
 *   `data.firing_since`). It re-arms when it stops holding — with `rearm`, only when `rearm`
 *   holds — and that ends the firing (`notify_resolved`: a `condition_resolved` event).
 * - a **repeating condition** fires on every check it holds; `repeat_interval` lets at most
 *   one event a subject through per interval (a cooldown, counted from the last event sent,
 *   across firings). The firing ends on the first check it is not met.
 * A subject not evaluable this check changes nothing.
 */
import type { MonitorConfig } from '../config/model.js';
import { RESULT } from '../condition/evaluation.js';
import { resolvedTypeOf, withSlotOf, type AlertEvent } from '../events/index.js';
import type { MonitorCheck, SubjectOutcome } from '../modes/mode.js';
import type { AlertMemory, StateWrite, SubjectState } from '../store/index.js';

/** Discriminators in the ids of lifecycle events: a reminder or a notice never shares an id with an alert. */
export const REMINDER_DISCRIMINATOR = 'reminder';
export const RESOLVED_DISCRIMINATOR = 'resolved';

export function applyLifecycle(monitor: MonitorConfig, check: MonitorCheck, states: ReadonlyMap<string, SubjectState>, at: number): MonitorCheck {
  const policy = monitor.alerting;
  if (!policy.active) return check;
  const writes = new Map<string, StateWrite>();
  for (const w of check.states) writes.set(w.subject, w);
  const raised = new Map<string, AlertEvent[]>();
  for (const e of check.events) {
    const list = raised.get(e.subject);
    if (list === undefined) raised.set(e.subject, [e]);
    else list.push(e);
  }
  const outcomes = new Map<string, SubjectOutcome>();
  for (const o of check.subjects) outcomes.set(o.subject, o);
  const forgotten = new Set(check.forget);
  const events: AlertEvent[] = [];
  const subjects = new Set([...outcomes.keys(), ...raised.keys(), ...writes.keys()]);

  for (const subject of subjects) {
    const prior = states.get(subject);
    const before = prior?.alert ?? null;
    let memory: AlertMemory | null = before === null ? null : { ...before };
    const outcome = outcomes.get(subject);
    const fired = raised.get(subject);
    const write = writes.get(subject);

    if (fired !== undefined) {
      const once = outcome !== undefined && outcome.evaluation.fires && !outcome.evaluation.armed;
      const severest = fired.reduce((a, b) => (b.data.severity > a.data.severity ? b : a));
      const cooling = !once && policy.repeatIntervalMs !== null && memory !== null && memory.sentAt !== null && at - memory.sentAt < policy.repeatIntervalMs;
      const continuing = !once && memory !== null && memory.firingSince !== null;
      const startedAt = continuing ? memory!.firingSince! : at;
      const severity =
        continuing && memory!.severity >= severest.data.severity ? memory! : { severity: severest.data.severity, severityLabel: severest.data.severity_label };
      memory = { firingSince: startedAt, sentAt: cooling ? memory!.sentAt : at, severity: severity.severity, severityLabel: severity.severityLabel };
      if (!cooling) events.push(...fired);
    } else if (outcome !== undefined && outcome.evaluation.evaluable) {
      const evaluation = outcome.evaluation;
      if (evaluation.met) {
        // A once-condition that fired and still holds: a reminder every repeat_interval.
        const since = memory?.firingSince ?? null;
        if (since !== null && policy.repeatIntervalMs !== null && outcome.raise !== undefined && at - (memory!.sentAt ?? since) >= policy.repeatIntervalMs) {
          events.push(reminder(outcome.raise(REMINDER_DISCRIMINATOR), since));
          memory = { ...memory!, sentAt: at };
        }
      } else {
        let armed = write?.armed ?? evaluation.armed;
        if (policy.rearm !== null && prior !== undefined && !prior.armed && armed) {
          // Hysteresis: leaving the condition is not enough; the rearm condition must hold.
          if (!policy.rearm.test(outcome.current, outcome.previous, true).met) {
            armed = false;
            outcome.evaluation = RESULT.notMetDisarmed;
            if (write !== undefined) write.armed = false;
            else writes.set(subject, carried(prior, { armed: false }));
          }
        }
        const since = memory?.firingSince ?? null;
        if (armed && since !== null) {
          if (policy.notifyResolved && outcome.raise !== undefined) events.push(resolved(outcome.raise(RESOLVED_DISCRIMINATOR), memory!, since, at));
          memory = { ...memory!, firingSince: null };
        }
      }
    }
    // What is left to remember: a firing, or when the last event went (the cooldown's start).
    if (
      memory !== null &&
      memory.firingSince === null &&
      (policy.repeatIntervalMs === null || memory.sentAt === null || at - memory.sentAt >= policy.repeatIntervalMs)
    )
      memory = null;
    if (forgotten.has(subject)) continue;
    const w = writes.get(subject);
    if (w !== undefined) w.alert = memory;
    else if (!sameMemory(before, memory))
      writes.set(subject, prior !== undefined ? carried(prior, { alert: memory }) : fresh(monitor.name, subject, outcome, at, memory));
  }

  check.events = events;
  if (writes.size !== check.states.length) check.states = [...writes.values()];
  return check;
}

/** The mode's event as a reminder: still firing since `since`. */
function reminder(event: AlertEvent, since: number): AlertEvent {
  return withSlotOf(event, { ...event, data: { ...event.data, reminder: true, firing_since: new Date(since).toISOString() } as AlertEvent['data'] });
}

/** The mode's event, measured now, as the notice that the firing begun at `since` ended. */
function resolved(event: AlertEvent, memory: AlertMemory, since: number, at: number): AlertEvent {
  return withSlotOf(event, {
    ...event,
    type: resolvedTypeOf(event.type),
    data: {
      ...event.data,
      // The firing's severity: the notice reaches the sinks its alert reached.
      severity: memory.severity,
      severity_label: memory.severityLabel as AlertEvent['data']['severity_label'],
      resolved: true,
      fired_at: new Date(since).toISOString(),
      duration_seconds: Math.max(0, Math.round((at - since) / 1000)),
    } as AlertEvent['data'],
  });
}

function carried(prior: SubjectState, change: Partial<StateWrite>): StateWrite {
  const { version: _version, ...rest } = prior;
  return { ...rest, ...change };
}

function fresh(monitor: string, subject: string, outcome: SubjectOutcome | undefined, at: number, alert: AlertMemory | null): StateWrite {
  return {
    monitor,
    subject,
    value: outcome?.current ?? 0,
    previous: outcome?.previous ?? null,
    armed: outcome?.evaluation.armed ?? true,
    checkedAt: at,
    alert,
  };
}

function sameMemory(a: AlertMemory | null, b: AlertMemory | null): boolean {
  if (a === null || b === null) return a === b;
  return a.firingSince === b.firingSince && a.sentAt === b.sentAt && a.severity === b.severity && a.severityLabel === b.severityLabel;
}
