/**
 * @module replay/tally — what a replay saw, kept as it goes: per monitor and subject the checks,
 * fires and values (the summary), and every event with what its check measured (the timeline).
 * Polled and liquidation monitors are tallied alike.
 */
import type { MonitorConfig } from '../config/index.js';
import type { AlertEvent } from '../events/index.js';
import type { MonitorCheck, SubjectOutcome } from '../modes/mode.js';
import { ValueSeries } from './series.js';

/** Per monitor and subject: what the replay saw. */
export interface SubjectSummary {
  monitor: string;
  subject: string;
  checks: number;
  fires: number;
  firstFire: number | null;
  lastFire: number | null;
  /** The longest span without a fire (ms), from the range's start to its end. */
  longestQuietMs: number;
  /** The value at every check, for charts. */
  series: ValueSeries;
  /** The condition's level, when it has one (for charts). */
  level: number | null;
  condition: string;
}

/** One event the replay raised, with what its check measured. */
export interface TimelineEntry {
  time: number;
  monitor: string;
  subject: string;
  value: number;
  previous: number | null;
  condition: string;
  severity: number;
  severityLabel: string;
  id: string;
  event: AlertEvent;
}

export class Tally {
  readonly timeline: TimelineEntry[] = [];
  readonly events: AlertEvent[] = [];
  /** By monitor, then subject: no key string built per check (a year of minutes is millions). */
  private readonly byMonitor = new Map<string, Map<string, SubjectSummary>>();
  private readonly known = new Map<string, Map<string, { level: number | null; condition: string }>>();

  constructor(
    monitors: readonly MonitorConfig[],
    private readonly from: number,
  ) {
    for (const m of monitors) {
      const subjects = m.plugin.subjects(m, new Map());
      const bySubject = new Map(subjects.map((s) => [s.subject, { level: s.condition.level, condition: s.condition.source }] as const));
      // Subjects found at run time (a window's symbols) take the monitor's first condition.
      const first = subjects[0];
      if (first !== undefined) bySubject.set('', { level: first.condition.level, condition: first.condition.source });
      this.known.set(m.name, bySubject);
    }
  }

  /** A check at `at`: each subject's value, and whether it fired. */
  check(at: number, check: MonitorCheck): void {
    let mine = this.byMonitor.get(check.monitor);
    if (mine === undefined) this.byMonitor.set(check.monitor, (mine = new Map()));
    for (const subject of check.subjects) {
      let summary = mine.get(subject.subject);
      if (summary === undefined) {
        const known = this.known.get(check.monitor);
        const condition = known?.get(subject.subject) ?? known?.get('');
        summary = {
          monitor: check.monitor,
          subject: subject.subject,
          checks: 0,
          fires: 0,
          firstFire: null,
          lastFire: null,
          longestQuietMs: 0,
          series: new ValueSeries(),
          level: condition?.level ?? null,
          condition: condition?.condition ?? '',
        };
        mine.set(subject.subject, summary);
      }
      summary.checks++;
      summary.series.push(at, subject.current);
      if (subject.evaluation.fires) {
        summary.fires++;
        summary.longestQuietMs = Math.max(summary.longestQuietMs, at - (summary.lastFire ?? this.from));
        summary.firstFire ??= at;
        summary.lastFire = at;
      }
    }
  }

  /** An event raised at `at`, with the outcome of the subject that raised it. */
  event(at: number, event: AlertEvent, measured: SubjectOutcome | undefined): void {
    this.events.push(event);
    this.timeline.push({
      time: at,
      monitor: event.data.monitor,
      subject: event.subject,
      value: measured?.current ?? NaN,
      previous: measured?.previous ?? null,
      condition: event.data.condition,
      severity: event.data.severity,
      severityLabel: event.data.severity_label,
      id: event.id,
      event,
    });
  }

  /** The summaries, their quiet stretches closed at `to`. */
  summaries(to: number): SubjectSummary[] {
    const all: SubjectSummary[] = [];
    for (const mine of this.byMonitor.values()) {
      for (const summary of mine.values()) {
        summary.longestQuietMs = Math.max(summary.longestQuietMs, to - (summary.lastFire ?? this.from));
        all.push(summary);
      }
    }
    return all;
  }
}
