/**
 * @module http/history — recent values per (monitor, subject), for the dashboard's charts.
 *
 * Kept in memory and bounded: persisting every value of every subject would grow the
 * database with monitors × rounds. After a restart the charts fill again as rounds run.
 *
 * Memory is the point of the layout (issue 16: 10,000 subjects held ~85 MB as arrays of
 * [time, value] pairs, then ~20 MB as a ring of times and values per subject):
 * - A subject keeps only its values, in a fixed ring of numbers carved from a shared slab
 *   (no typed array of its own per subject).
 * - Its times are a {@link Timeline} shared by every subject recorded at exactly the same
 *   times, which is nearly all of them: a round records every monitor it ran at one time. A
 *   timeline is advanced in place when all its subjects are recorded together, and copied
 *   (once per recording) when only some are, so the subjects left behind keep theirs.
 */
import type { MonitorCheck } from '../modes/mode.js';
import { ValueSlab, type SlabSlot } from './value-slab.js';

export const HISTORY_POINTS = 120;

/** `Timeline.recorded` once the timeline has taken this call's time. */
const ADVANCED = -1;

/** The times of the last HISTORY_POINTS recordings of some subjects; slot i of each of them holds the value at times[i]. */
class Timeline {
  readonly times: Float64Array;
  start = 0;
  length = 0;
  /** Rings reading their times here. */
  users = 0;
  /** In the recording under way (`call`): how many of its rings are recorded, and where they moved if not all. */
  call = -1;
  recorded = 0;
  successor: Timeline | null = null;

  constructor(from?: Timeline) {
    this.times = from === undefined ? new Float64Array(HISTORY_POINTS) : from.times.slice();
    if (from !== undefined) {
      this.start = from.start;
      this.length = from.length;
    }
  }

  /** Appends a time; returns the slot it took (the oldest one once the ring is full). */
  push(time: number): number {
    const slot = (this.start + this.length) % HISTORY_POINTS;
    this.times[slot] = time;
    if (this.length < HISTORY_POINTS) this.length++;
    else this.start = (this.start + 1) % HISTORY_POINTS;
    return slot;
  }

  /** The slot of the newest time. */
  newest(): number {
    return (this.start + this.length - 1) % HISTORY_POINTS;
  }
}

/** One subject's values, slot for slot with its timeline's times. */
class Ring {
  /** The recording that last wrote a value here (a subject listed twice in one recording keeps the later value). */
  call = -1;
  constructor(
    public timeline: Timeline,
    readonly values: SlabSlot,
  ) {
    timeline.users++;
  }

  moveTo(timeline: Timeline): void {
    this.timeline.users--;
    timeline.users++;
    this.timeline = timeline;
  }

  points(): Array<[number, number]> {
    const { times, start, length } = this.timeline;
    const { data, base } = this.values;
    const out: Array<[number, number]> = new Array(length);
    for (let i = 0; i < length; i++) {
      const slot = (start + i) % HISTORY_POINTS;
      out[i] = [times[slot]!, data[base + slot]!];
    }
    return out;
  }
}

export class SubjectHistory {
  private readonly byMonitor = new Map<string, Map<string, Ring>>();
  private readonly slab = new ValueSlab(HISTORY_POINTS);
  private calls = 0;
  /** Rings recorded in the current call and their values, in order: kept between calls (no regrowth per round). */
  private pending: Ring[] = [];
  private pendingValues = new Float64Array(1024);

  /** Records every measured subject of a round or stream batch. */
  record(checkedAt: number, checks: readonly MonitorCheck[]): void {
    const call = ++this.calls;
    const pending = this.pending;
    let values = this.pendingValues;
    let count = 0;
    let fresh: Timeline | null = null;
    // First: find each subject's ring and count, per timeline, how many of its rings are recorded.
    for (let c = 0; c < checks.length; c++) {
      const check = checks[c]!;
      if (check.subjects.length === 0) continue;
      let subjects = this.byMonitor.get(check.monitor);
      if (subjects === undefined) this.byMonitor.set(check.monitor, (subjects = new Map()));
      for (let s = 0; s < check.subjects.length; s++) {
        const subject = check.subjects[s]!;
        let ring = subjects.get(subject.subject);
        if (ring === undefined) {
          // A new subject has no past: it starts on this call's timeline of one time.
          if (fresh === null) {
            fresh = new Timeline();
            fresh.push(checkedAt);
            fresh.call = call;
          }
          subjects.set(subject.subject, (ring = new Ring(fresh, this.slab.take())));
          ring.call = call;
          ring.values.data[ring.values.base] = subject.current;
          continue;
        }
        const timeline = ring.timeline;
        if (timeline === fresh) {
          ring.values.data[ring.values.base] = subject.current;
          continue;
        }
        if (timeline.call !== call) {
          timeline.call = call;
          timeline.recorded = 0;
          timeline.successor = null;
        }
        if (ring.call !== call) {
          ring.call = call;
          timeline.recorded++;
        }
        if (count === values.length) {
          const grown = new Float64Array(2 * values.length);
          grown.set(values);
          values = this.pendingValues = grown;
        }
        pending[count] = ring;
        values[count++] = subject.current;
      }
    }
    // Then: a timeline all of whose rings are recorded moves on in place; otherwise the recorded ones move to a copy.
    for (let i = 0; i < count; i++) {
      const ring = pending[i]!;
      let timeline = ring.timeline;
      if (timeline.successor !== null) ring.moveTo((timeline = timeline.successor));
      else if (timeline.recorded === ADVANCED) {
        // moved on already in this call (a subject listed twice keeps its later value)
      } else if (timeline.recorded < timeline.users) {
        const successor = new Timeline(timeline);
        successor.push(checkedAt);
        successor.call = call;
        successor.recorded = ADVANCED;
        timeline.successor = successor;
        ring.moveTo((timeline = successor));
      } else {
        timeline.push(checkedAt);
        timeline.recorded = ADVANCED;
      }
      ring.values.data[ring.values.base + timeline.newest()] = values[i]!;
    }
  }

  /** Oldest first: [time ms, value]. */
  of(monitor: string, subject: string): Array<[number, number]> {
    return this.byMonitor.get(monitor)?.get(subject)?.points() ?? [];
  }

  /** Drops the history of monitors not in `monitors` (after a reload removed them). */
  keepOnly(monitors: ReadonlySet<string>): void {
    for (const [name, subjects] of this.byMonitor) {
      if (monitors.has(name)) continue;
      for (const ring of subjects.values()) {
        ring.timeline.users--;
        this.slab.give(ring.values);
      }
      this.byMonitor.delete(name);
    }
    this.pending = []; // it may hold rings just dropped
  }
}
