/**
 * @module scheduler/scheduler — runs each monitor at its slots; monitors due together share a round.
 *
 * One timer, re-armed after every tick for the earliest next slot, computed from the
 * wall clock each time (a late timer delays one round, it never shifts the ones after).
 * A monitor still running at its next slot is not stacked: that slot is skipped,
 * logged and counted. On start, a monitor whose most recent slot has no completed
 * round (first start, or a crash mid-round) runs at once with that slot, so a
 * re-run round keeps its event ids.
 */
import type { MonitorConfig } from '../config/index.js';
import type { Logger } from '../log/logger.js';
import { nextCronSlot, nextIntervalSlot, parseCron } from './slots.js';

export type RunRound = (roundTime: number, monitors: MonitorConfig[]) => Promise<unknown>;

export interface SchedulerOptions {
  logger: Logger;
  now?: () => number;
  /** Last completed round per monitor, from the store (for catch-up at start; start() may pass it instead). */
  lastRoundOf?: (monitor: string) => number | null;
}

interface Entry {
  monitor: MonitorConfig;
  next: number;
  running: boolean;
  nextAfter: (t: number) => number;
}

export interface SchedulerStats {
  rounds: number;
  overruns: number;
  overrunsByMonitor: Record<string, number>;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export class Scheduler {
  private readonly entries: Entry[];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly stats: SchedulerStats = { rounds: 0, overruns: 0, overrunsByMonitor: {} };

  constructor(
    monitors: readonly MonitorConfig[],
    private readonly runRound: RunRound,
    private readonly options: SchedulerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.entries = monitors.map((monitor) => {
      const cronFields = monitor.schedule === null ? null : parseCron(monitor.schedule);
      const nextAfter = cronFields === null ? (t: number) => nextIntervalSlot(monitor.intervalSeconds, t) : (t: number) => nextCronSlot(cronFields, t);
      return { monitor, next: 0, running: false, nextAfter };
    });
  }

  /** Arms the timer; monitors with a missed most-recent slot run at once. */
  start(lastRoundOf: ((monitor: string) => number | null) | undefined = this.options.lastRoundOf): void {
    this.stopped = false;
    const now = this.now();
    for (const entry of this.entries) {
      entry.next = entry.nextAfter(now);
      if (entry.monitor.schedule !== null) continue;
      const step = entry.monitor.intervalSeconds * 1000;
      const mostRecent = Math.floor(now / step) * step;
      const last = lastRoundOf?.(entry.monitor.name) ?? null;
      if (last === null || last < mostRecent) entry.next = mostRecent;
    }
    this.tick();
  }

  /** Stops scheduling; running rounds go on (see drain). */
  stop(): void {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Waits for running rounds, at most `timeoutMs`; resolves true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    if (this.inFlight.size === 0) return true;
    let timeout: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => {
      timeout = setTimeout(() => resolve(false), timeoutMs);
    });
    const finished = Promise.allSettled([...this.inFlight]).then(() => true);
    const result = await Promise.race([finished, expired]);
    clearTimeout(timeout);
    return result;
  }

  /** When each monitor runs next (ms), for the API. */
  nextRuns(): Map<string, number> {
    const now = this.now();
    // Before start() (or after stop()), the next slot is computed from now.
    return new Map(this.entries.map((e) => [e.monitor.name, this.stopped ? e.nextAfter(now) : e.next]));
  }

  private tick(): void {
    if (this.stopped) return;
    const now = this.now();
    const bySlot = new Map<number, Entry[]>();
    for (const entry of this.entries) {
      if (entry.next > now) continue;
      const slot = entry.next;
      entry.next = entry.nextAfter(now);
      if (entry.running) {
        this.stats.overruns++;
        this.stats.overrunsByMonitor[entry.monitor.name] = (this.stats.overrunsByMonitor[entry.monitor.name] ?? 0) + 1;
        this.options.logger.warn(
          { monitor: entry.monitor.name, slot: new Date(slot).toISOString() },
          `monitor "${entry.monitor.name}" is still checking from its previous slot; skipping this one`,
        );
        continue;
      }
      const group = bySlot.get(slot) ?? [];
      group.push(entry);
      bySlot.set(slot, group);
    }
    for (const [slot, entries] of bySlot) this.launch(slot, entries);
    this.arm();
  }

  private launch(slot: number, entries: Entry[]): void {
    for (const entry of entries) entry.running = true;
    this.stats.rounds++;
    const round = this.runRound(
      slot,
      entries.map((e) => e.monitor),
    )
      .catch((error: unknown) => {
        this.options.logger.error({ err: error, slot: new Date(slot).toISOString() }, 'round failed');
      })
      .finally(() => {
        for (const entry of entries) entry.running = false;
        this.inFlight.delete(round);
      });
    this.inFlight.add(round);
  }

  private arm(): void {
    if (this.stopped || this.entries.length === 0) return;
    if (this.timer !== null) clearTimeout(this.timer);
    let next = Number.POSITIVE_INFINITY;
    for (const entry of this.entries) if (entry.next < next) next = entry.next;
    this.timer = setTimeout(() => this.tick(), Math.min(MAX_TIMER_MS, Math.max(0, next - this.now())));
  }
}
