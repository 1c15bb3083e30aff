/**
 * @module http/history — recent values per (monitor, subject), for the dashboard's charts.
 *
 * Kept in memory and bounded: persisting every value of every subject would grow the
 * database with monitors × rounds. After a restart the charts fill again as rounds run.
 */
import type { MonitorCheck } from '../modes/mode.js';

export const HISTORY_POINTS = 120;

export class SubjectHistory {
  private readonly series = new Map<string, Array<[number, number]>>();

  /** Records every measured subject of a round or stream batch. */
  record(checkedAt: number, checks: readonly MonitorCheck[]): void {
    for (const check of checks) {
      for (const subject of check.subjects) {
        const key = `${check.monitor}\u0000${subject.subject}`;
        let points = this.series.get(key);
        if (points === undefined) this.series.set(key, (points = []));
        points.push([checkedAt, subject.current]);
        if (points.length > HISTORY_POINTS) points.splice(0, points.length - HISTORY_POINTS);
      }
    }
  }

  /** Oldest first: [time ms, value]. */
  of(monitor: string, subject: string): Array<[number, number]> {
    return this.series.get(`${monitor}\u0000${subject}`) ?? [];
  }
}
