/**
 * @module replay/series — a subject's values over a replay, in two growing typed arrays: a
 * year of minutes is 525,600 points, which as [time, value] pairs would be as many small
 * arrays for the collector to chase.
 */
export class ValueSeries {
  private times = new Float64Array(1024);
  private values = new Float64Array(1024);
  length = 0;

  push(time: number, value: number): void {
    if (this.length === this.times.length) {
      const times = new Float64Array(this.length * 2);
      const values = new Float64Array(this.length * 2);
      times.set(this.times);
      values.set(this.values);
      this.times = times;
      this.values = values;
    }
    this.times[this.length] = time;
    this.values[this.length] = value;
    this.length++;
  }

  time(i: number): number {
    return this.times[i]!;
  }

  value(i: number): number {
    return this.values[i]!;
  }

  /** The value at `time`, or undefined (times are in order: a binary search). */
  at(time: number): number | undefined {
    let lo = 0;
    let hi = this.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const t = this.times[mid]!;
      if (t === time) return this.values[mid];
      if (t < time) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }
}
