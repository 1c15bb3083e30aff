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
 * - Copies that come to hold the same times again are merged: a subject that missed one
 *   recording (its check failed) rejoins the others once that recording has left its window,
 *   so sporadic failures do not leave a timeline per subject behind them.
 */
import type { MonitorCheck } from '../modes/mode.js';
import { ValueSlab, type SlabSlot } from './value-slab.js';

export const HISTORY_POINTS = 120;

/** `Timeline.recorded` once the timeline has taken this call's time. */
const ADVANCED = -1;

/** The times of the last `capacity` recordings of some subjects; slot i of each of them holds the value at times[i]. */
class Timeline {
  readonly times: Float64Array;
  start = 0;
  length = 0;
  /**
   * Two sums of the times held, kept exact (whole numbers under 2^53): what tells two timelines
   * apart before their times are compared. Times only grow along a timeline, so two with the
   * same set of times hold them in the same order; both sums equal for different sets is rare.
   */
  sum = 0;
  squares = 0;
  /** Rings reading their times here. */
  users = 0;
  /** In the recording under way (`call`): how many of its rings are recorded, and where they moved if not all (cleared after each call). */
  call = -1;
  recorded = 0;
  successor: Timeline | null = null;

  constructor(
    readonly capacity: number,
    from?: Timeline,
  ) {
    this.times = from === undefined ? new Float64Array(capacity) : from.times.slice();
    if (from !== undefined) {
      this.start = from.start;
      this.length = from.length;
      this.sum = from.sum;
      this.squares = from.squares;
    }
  }

  push(time: number): void {
    const slot = (this.start + this.length) % this.capacity;
    if (this.length < this.capacity) this.length++;
    else {
      const oldest = this.times[slot]!;
      this.sum -= oldest;
      this.squares -= square(oldest);
      this.start = (this.start + 1) % this.capacity;
    }
    this.times[slot] = time;
    this.sum += time;
    this.squares += square(time);
  }

  /** The slot of the newest time. */
  newest(): number {
    return (this.start + this.length - 1) % this.capacity;
  }

  /** The slot of the i-th time, oldest first. */
  slot(i: number): number {
    return (this.start + i) % this.capacity;
  }

  sameTimes(other: Timeline): boolean {
    if (other.length !== this.length || other.sum !== this.sum || other.squares !== this.squares) return false;
    for (let i = 0; i < this.length; i++) if (this.times[this.slot(i)] !== other.times[other.slot(i)]) return false;
    return true;
  }
}

/** A time's residue squared: below 2^32, so 120 of them add up exactly. */
function square(time: number): number {
  const residue = time % 65_521;
  return residue * residue;
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

  /** Moves to a timeline of the same times whose slots may start elsewhere: the values turn with them. */
  mergeInto(timeline: Timeline, scratch: Float64Array): void {
    const from = this.timeline;
    if (from.start !== timeline.start) {
      const { data, base } = this.values;
      for (let i = 0; i < from.length; i++) scratch[i] = data[base + from.slot(i)]!;
      for (let i = 0; i < from.length; i++) data[base + timeline.slot(i)] = scratch[i]!;
    }
    this.moveTo(timeline);
  }

  points(): Array<[number, number]> {
    const timeline = this.timeline;
    const { data, base } = this.values;
    const out: Array<[number, number]> = new Array(timeline.length);
    for (let i = 0; i < timeline.length; i++) {
      const slot = timeline.slot(i);
      out[i] = [timeline.times[slot]!, data[base + slot]!];
    }
    return out;
  }
}

export class SubjectHistory {
  private readonly byMonitor = new Map<string, Map<string, Ring>>();
  private readonly slab: ValueSlab;
  private calls = 0;
  /** Rings recorded in the current call and their values, in order: kept between calls (no regrowth per round). */
  private pending: Ring[] = [];
  private pendingValues = new Float64Array(1024);
  /** Timelines that took this call's time (moved on in place, or copies made in it). */
  private readonly advanced: Timeline[] = [];
  /** Timelines whose subjects split in this call (their `successor` is cleared after it). */
  private readonly split: Timeline[] = [];
  private readonly scratch: Float64Array;

  constructor(private readonly capacity = HISTORY_POINTS) {
    this.slab = new ValueSlab(capacity);
    this.scratch = new Float64Array(capacity);
  }

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
            fresh = new Timeline(this.capacity);
            fresh.push(checkedAt);
            fresh.call = call;
            fresh.recorded = ADVANCED;
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
    const advanced = this.advanced;
    for (let i = 0; i < count; i++) {
      const ring = pending[i]!;
      let timeline = ring.timeline;
      if (timeline.successor !== null) ring.moveTo((timeline = timeline.successor));
      else if (timeline.recorded === ADVANCED) {
        // moved on already in this call (a subject listed twice keeps its later value)
      } else if (timeline.recorded < timeline.users) {
        const successor = new Timeline(this.capacity, timeline);
        successor.push(checkedAt);
        successor.call = call;
        successor.recorded = ADVANCED;
        timeline.successor = successor;
        this.split.push(timeline);
        advanced.push(successor);
        ring.moveTo((timeline = successor));
      } else {
        timeline.push(checkedAt);
        timeline.recorded = ADVANCED;
        advanced.push(timeline);
      }
      ring.values.data[ring.values.base + timeline.newest()] = values[i]!;
    }
    if (advanced.length > 1) this.mergeSameTimes(pending, count);
    // Nothing refers to a split-off copy but its rings (a stale pointer kept it alive).
    for (let i = 0; i < this.split.length; i++) this.split[i]!.successor = null;
    this.split.length = 0;
    advanced.length = 0;
  }

  /**
   * Timelines that took this call's time and now hold the same times become one. Every ring of
   * such a timeline was recorded in this call (that is how a timeline moves on), so the rings
   * to move are all in `pending`.
   */
  private mergeSameTimes(pending: Ring[], count: number): void {
    // Bucketed by the sum of their times (a number: no string per timeline per call).
    const canonical = new Map<number, Timeline[]>();
    const into = new Map<Timeline, Timeline>();
    for (let i = 0; i < this.advanced.length; i++) {
      const timeline = this.advanced[i]!;
      const bucket = canonical.get(timeline.sum);
      if (bucket === undefined) {
        canonical.set(timeline.sum, [timeline]);
        continue;
      }
      const same = bucket.find((other) => other.sameTimes(timeline));
      if (same === undefined) bucket.push(timeline);
      else into.set(timeline, same);
    }
    if (into.size === 0) return;
    for (let i = 0; i < count; i++) {
      const ring = pending[i]!;
      const target = into.get(ring.timeline);
      if (target !== undefined) ring.mergeInto(target, this.scratch);
    }
  }

  /** Oldest first: [time ms, value]. */
  of(monitor: string, subject: string): Array<[number, number]> {
    return this.byMonitor.get(monitor)?.get(subject)?.points() ?? [];
  }

  /** How many distinct timelines the subjects use (for tests and diagnostics). */
  timelineCount(): number {
    const timelines = new Set<Timeline>();
    for (const subjects of this.byMonitor.values()) for (const ring of subjects.values()) timelines.add(ring.timeline);
    return timelines.size;
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
