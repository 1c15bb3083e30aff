/**
 * @module scheduler/scheduler — runs each monitor at its slots; monitors due together share a round.
 *
 * One timer, re-armed after every tick for the earliest next slot, computed from the
 * wall clock each time (a late timer delays one round, it never shifts the ones after).
 * No wait is longer than MAX_WAIT_MS: the wall clock is read again at least that often,
 * so a suspended machine or a clock step delays a round by at most that much, and an
 * interval monitor that missed slots meanwhile runs its most recent one. A monitor still
 * running at its next slot is not stacked: that slot is skipped, logged and counted.
 * On start, an interval monitor whose most recent slot has no completed round (first
 * start, or a crash mid-round) runs at once with that slot, so a re-run round keeps its
 * event ids; a cron monitor waits for its next match.
 */
import type { MonitorConfig } from '../config/index.js';
import type { Logger } from '../log/logger.js';
import { AsterwatchError } from '../errors.js';
import { nextCronSlot, nextIntervalSlot, parseCron } from './slots.js';

/** A schedule the scheduler cannot run (validation should have refused it): the service does not start. */
export class SchedulerError extends AsterwatchError {
  constructor(monitor: string, reason: string) {
    super('SCHEDULER_START', `monitor "${monitor}": its schedule cannot be run (${reason}); fix it and check the file with 'asterwatch validate'`);
  }
}

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

/** The longest the scheduler sleeps before reading the wall clock again. */
export const MAX_WAIT_MS = 30_000;

export type SchedulerState = 'stopped' | 'running' | 'failed';

export class Scheduler {
  private entries: Entry[];
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  /** Why the scheduler stopped on its own (a schedule that could not be computed), or null. */
  private failure: string | null = null;
  private readonly inFlight = new Set<Promise<unknown>>();
  readonly stats: SchedulerStats = { rounds: 0, overruns: 0, overrunsByMonitor: {} };

  constructor(
    monitors: readonly MonitorConfig[],
    private readonly runRound: RunRound,
    private readonly options: SchedulerOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.entries = monitors.map((monitor) => entryOf(monitor));
  }

  /**
   * A live reload: the same monitor objects keep their entries (their next slot, and whether
   * they are running); the others — new, or changed — run at once, with the reload's moment as
   * their round time (as `check` does: a slot the previous definition already ran would give
   * its event ids again), then at their slots; those left out are no longer scheduled (a round
   * of theirs under way finishes). Scheduling resumes if it was paused (stop()).
   */
  replace(monitors: readonly MonitorConfig[]): void {
    const kept = new Map(this.entries.map((e) => [e.monitor, e]));
    const now = this.now();
    this.entries = monitors.map((monitor) => {
      const entry = kept.get(monitor);
      if (entry !== undefined) return entry;
      const fresh = entryOf(monitor);
      fresh.next = now;
      return fresh;
    });
    this.stopped = false;
    this.failure = null;
    this.tick();
  }

  /** Arms the timer; monitors with a missed most-recent slot run at once. */
  start(lastRoundOf: ((monitor: string) => number | null) | undefined = this.options.lastRoundOf): void {
    this.stopped = false;
    this.failure = null;
    const now = this.now();
    for (const entry of this.entries) {
      try {
        this.scheduleFirst(entry, now, lastRoundOf);
      } catch (error) {
        this.stopped = true;
        throw new SchedulerError(entry.monitor.name, (error as Error).message);
      }
    }
    this.tick();
  }

  /** The first slot of an entry: its next one, or at once its most recent one when that has no completed round (interval monitors). */
  private scheduleFirst(entry: Entry, now: number, lastRoundOf: ((monitor: string) => number | null) | undefined): void {
    entry.next = entry.nextAfter(now);
    if (entry.monitor.schedule !== null) return;
    const step = entry.monitor.intervalSeconds * 1000;
    const mostRecent = Math.floor(now / step) * step;
    const last = lastRoundOf?.(entry.monitor.name) ?? null;
    if (last === null || last < mostRecent) entry.next = mostRecent;
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

  /** running while it schedules; failed when a schedule could not be computed (the service must not look healthy). */
  get state(): SchedulerState {
    if (this.failure !== null) return 'failed';
    return this.stopped ? 'stopped' : 'running';
  }

  /** Why the scheduler failed, or null. */
  get failureReason(): string | null {
    return this.failure;
  }

  private tick(): void {
    if (this.stopped) return;
    try {
      this.launchDue();
    } catch (error) {
      // A schedule that cannot be computed stops everything rather than silently skipping a monitor.
      this.failure = error instanceof Error ? error.message : String(error);
      this.stop();
      this.options.logger.error({ reason: this.failure }, 'the scheduler stopped: a schedule could not be computed');
      return;
    }
    this.arm();
  }

  private launchDue(): void {
    const now = this.now();
    const bySlot = new Map<number, Entry[]>();
    for (const entry of this.entries) {
      if (entry.next > now) continue;
      // After a suspend or a clock step an interval monitor may have missed several slots:
      // it runs the most recent one (its round is for now, not for the time it missed).
      const slot = entry.monitor.schedule === null ? Math.max(entry.next, mostRecentSlot(entry.monitor.intervalSeconds, now)) : entry.next;
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
  }

  private launch(slot: number, entries: Entry[]): void {
    for (const entry of entries) entry.running = true;
    this.stats.rounds++;
    const round = this.runRound(
      slot,
      entries.map((e) => e.monitor),
    )
      .catch((error: unknown) => {
        // Abandoned at shutdown: expected, and said once by the service.
        if ((error as { code?: string } | null)?.code === 'ROUND_ABANDONED') return;
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
    this.timer = setTimeout(() => this.tick(), Math.min(MAX_WAIT_MS, Math.max(0, next - this.now())));
  }
}

function entryOf(monitor: MonitorConfig): Entry {
  let cronFields: ReturnType<typeof parseCron> | null = null;
  try {
    if (monitor.schedule !== null) cronFields = parseCron(monitor.schedule);
  } catch (error) {
    throw new SchedulerError(monitor.name, (error as Error).message);
  }
  const fields = cronFields;
  const nextAfter = fields === null ? (t: number) => nextIntervalSlot(monitor.intervalSeconds, t) : (t: number) => nextCronSlot(fields, t);
  return { monitor, next: 0, running: false, nextAfter };
}

/** The latest interval slot at or before `now`. */
function mostRecentSlot(intervalSeconds: number, now: number): number {
  const step = intervalSeconds * 1000;
  return Math.floor(now / step) * step;
}
