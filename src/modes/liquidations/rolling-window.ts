/**
 * @module modes/liquidations/rolling-window — USD liquidated in the last W seconds, and in the W before.
 *
 * Each subject keeps its liquidations sorted by trade time with two cursors: where the
 * window before starts (t > at − 2W) and where the current one starts (t > at − W). Moving
 * the evaluation time only moves the cursors and adjusts two running sums, so an evaluation
 * costs what left the windows, not what is in them; a subject's windows move only when it is
 * evaluated. A window that empties reads exactly 0, and the sums are recomputed exactly
 * whenever the arrays compact. The caller counts each liquidation once (the feed stores each
 * once; the check skips a retried batch and what its history already held).
 */
import type { Liquidation } from '../../streams/liquidations/liquidation.js';
import type { WindowFigures } from './event.js';

/** Liquidations a monitor keeps in memory (2 W of a very busy market); past it new ones are left out and said. */
export const MAX_WINDOW_ITEMS = 1_000_000;
const COMPACT_AFTER = 4096;

class SubjectWindow {
  private times: number[] = [];
  private amounts: number[] = [];
  private longs: boolean[] = [];
  /** First item with t > at − 2W. */
  private start = 0;
  /** First item with t > at − W. */
  private mid = 0;
  private currentSum = 0;
  private previousSum = 0;
  private at = -Infinity;

  constructor(private readonly spanMs: number) {}

  get size(): number {
    return this.times.length - this.start;
  }

  /** Nothing in either window. */
  get empty(): boolean {
    return this.start === this.times.length;
  }

  get current(): number {
    return this.mid === this.times.length ? 0 : this.currentSum;
  }

  get previous(): number {
    return this.start === this.mid ? 0 : this.previousSum;
  }

  /** Adds a liquidation (false when it is already older than both windows). */
  add(l: Liquidation): boolean {
    const t = l.time;
    if (t <= this.at - 2 * this.spanMs) return false;
    const n = this.times.length;
    let index = n;
    if (n > this.start && this.times[n - 1]! > t) {
      // Late (rare): its place by time, after equal times.
      let lo = this.start;
      let hi = n;
      while (lo < hi) {
        const m = (lo + hi) >>> 1;
        if (this.times[m]! <= t) lo = m + 1;
        else hi = m;
      }
      index = lo;
    }
    if (index === n) {
      this.times.push(t);
      this.amounts.push(l.notionalUsd);
      this.longs.push(l.side === 'long');
    } else {
      this.times.splice(index, 0, t);
      this.amounts.splice(index, 0, l.notionalUsd);
      this.longs.splice(index, 0, l.side === 'long');
    }
    if (t > this.at - this.spanMs) this.currentSum += l.notionalUsd;
    else {
      this.previousSum += l.notionalUsd;
      this.mid++;
    }
    return true;
  }

  /** Moves the windows to end at `at`. */
  advance(at: number): void {
    if (at <= this.at) return;
    this.at = at;
    const n = this.times.length;
    while (this.mid < n && this.times[this.mid]! <= at - this.spanMs) {
      this.currentSum -= this.amounts[this.mid]!;
      this.previousSum += this.amounts[this.mid]!;
      this.mid++;
    }
    while (this.start < this.mid && this.times[this.start]! <= at - 2 * this.spanMs) {
      this.previousSum -= this.amounts[this.start]!;
      this.start++;
    }
    if (this.start > COMPACT_AFTER && this.start * 2 > n) this.compact();
  }

  /** The current window's figures (read when its condition is met). */
  figures(): WindowFigures {
    let count = 0;
    let longUsd = 0;
    let shortUsd = 0;
    let largestUsd = 0;
    for (let i = this.mid; i < this.times.length; i++) {
      const usd = this.amounts[i]!;
      count++;
      if (this.longs[i]) longUsd += usd;
      else shortUsd += usd;
      if (usd > largestUsd) largestUsd = usd;
    }
    return { total: this.current, previous: this.previous, count, longUsd, shortUsd, largestUsd };
  }

  private compact(): void {
    this.times = this.times.slice(this.start);
    this.amounts = this.amounts.slice(this.start);
    this.longs = this.longs.slice(this.start);
    this.mid -= this.start;
    this.start = 0;
    // Exact again: running sums drift by float rounding over many additions and removals.
    this.previousSum = this.amounts.slice(0, this.mid).reduce((a, b) => a + b, 0);
    this.currentSum = this.amounts.slice(this.mid).reduce((a, b) => a + b, 0);
  }
}

/** One monitor's windows, one per subject. */
export class RollingWindows {
  private readonly subjects = new Map<string, SubjectWindow>();
  private held = 0;
  /** Where the windows end (the latest evaluation time). */
  private at = -Infinity;
  /** True once a liquidation was left out because MAX_WINDOW_ITEMS were held. */
  overflowed = false;

  constructor(
    private readonly spanMs: number,
    private readonly maxItems = MAX_WINDOW_ITEMS,
  ) {}

  /** Adds a liquidation to its subject's window. */
  add(subject: string, l: Liquidation): void {
    if (this.held >= this.maxItems) {
      this.overflowed = true;
      return;
    }
    let window = this.subjects.get(subject);
    if (window === undefined) {
      this.subjects.set(subject, (window = new SubjectWindow(this.spanMs)));
      window.advance(this.at); // a new subject's windows end where the others' do
    }
    if (window.add(l)) this.held++;
  }

  /** Moves one subject's windows to end at `at` (the others move when they are evaluated). */
  advance(subject: string, at: number): SubjectWindow | undefined {
    if (at > this.at) this.at = at;
    const window = this.subjects.get(subject);
    if (window === undefined) return undefined;
    const before = window.size;
    window.advance(at);
    this.held -= before - window.size;
    return window;
  }

  /** Moves every subject's windows to end at `at`. */
  advanceAll(at: number): void {
    for (const subject of this.subjects.keys()) this.advance(subject, at);
    if (at > this.at) this.at = at;
  }

  get(subject: string): SubjectWindow | undefined {
    return this.subjects.get(subject);
  }

  /** Subjects with something in either window (as of their last move). */
  active(): string[] {
    return [...this.subjects].filter(([, w]) => !w.empty).map(([subject]) => subject);
  }

  delete(subject: string): void {
    const window = this.subjects.get(subject);
    if (window !== undefined) this.held -= window.size;
    this.subjects.delete(subject);
  }
}
