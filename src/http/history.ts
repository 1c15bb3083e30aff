/**
 * @module http/history — recent values per (monitor, subject), for the dashboard's charts.
 *
 * Kept in memory and bounded: persisting every value of every subject would grow the
 * database with monitors × rounds. After a restart the charts fill again as rounds run.
 *
 * Each subject's points are a fixed ring of numbers (one Float64Array: times and values), by
 * monitor then subject: a round of 10,000 subjects builds no key string and no [time, value]
 * pair, and 10,000 subjects hold about 20 MB rather than the ~85 MB of arrays of pairs.
 */
import type { MonitorCheck } from '../modes/mode.js';

export const HISTORY_POINTS = 120;

/** The last HISTORY_POINTS points of one subject: slot i holds time at 2i, value at 2i + 1. */
class Ring {
  private readonly data = new Float64Array(2 * HISTORY_POINTS);
  private start = 0;
  private length = 0;

  push(time: number, value: number): void {
    const slot = (this.start + this.length) % HISTORY_POINTS;
    this.data[2 * slot] = time;
    this.data[2 * slot + 1] = value;
    if (this.length < HISTORY_POINTS) this.length++;
    else this.start = (this.start + 1) % HISTORY_POINTS;
  }

  points(): Array<[number, number]> {
    const out: Array<[number, number]> = new Array(this.length);
    for (let i = 0; i < this.length; i++) {
      const slot = (this.start + i) % HISTORY_POINTS;
      out[i] = [this.data[2 * slot]!, this.data[2 * slot + 1]!];
    }
    return out;
  }
}

export class SubjectHistory {
  private readonly byMonitor = new Map<string, Map<string, Ring>>();

  /** Records every measured subject of a round or stream batch. */
  record(checkedAt: number, checks: readonly MonitorCheck[]): void {
    for (const check of checks) {
      if (check.subjects.length === 0) continue;
      let subjects = this.byMonitor.get(check.monitor);
      if (subjects === undefined) this.byMonitor.set(check.monitor, (subjects = new Map()));
      for (const subject of check.subjects) {
        let ring = subjects.get(subject.subject);
        if (ring === undefined) subjects.set(subject.subject, (ring = new Ring()));
        ring.push(checkedAt, subject.current);
      }
    }
  }

  /** Oldest first: [time ms, value]. */
  of(monitor: string, subject: string): Array<[number, number]> {
    return this.byMonitor.get(monitor)?.get(subject)?.points() ?? [];
  }

  /** Drops the history of monitors not in `monitors` (after a reload removed them). */
  keepOnly(monitors: ReadonlySet<string>): void {
    for (const name of this.byMonitor.keys()) if (!monitors.has(name)) this.byMonitor.delete(name);
  }
}
