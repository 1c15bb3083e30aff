import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MonitorConfig } from '../../src/config/index.js';
import { NO_POLICY } from '../../src/lifecycle/policy.js';
import { silentLogger } from '../../src/log/logger.js';
import { marketMode } from '../../src/modes/market/index.js';
import { MAX_WAIT_MS, Scheduler, SchedulerError } from '../../src/scheduler/scheduler.js';
import { nextCronSlot, nextIntervalSlot, parseCron } from '../../src/scheduler/slots.js';
import { captureLogger } from '../helpers/capture-logger.js';

function monitor(name: string, intervalSeconds: number, schedule: string | null = null): MonitorConfig {
  return {
    name,
    mode: 'market',
    plugin: marketMode,
    intervalSeconds,
    schedule,
    settings: { assets: [] },
    notify: ['stdout'],
    alerting: NO_POLICY,
  };
}

const T0 = Date.UTC(2026, 10, 21, 12, 0, 0);

describe('slots', () => {
  it('aligns intervals to the wall clock', () => {
    expect(nextIntervalSlot(300, T0)).toBe(T0 + 300_000);
    expect(nextIntervalSlot(300, T0 + 1)).toBe(T0 + 300_000);
    expect(nextIntervalSlot(300, T0 + 299_999)).toBe(T0 + 300_000);
    expect(nextIntervalSlot(3600, T0 + 60_000)).toBe(T0 + 3600_000);
  });

  it('finds the next cron match, with 5 or 6 fields', () => {
    const every5 = parseCron('*/5 * * * *');
    const start = new Date(2026, 10, 21, 12, 1, 30).getTime();
    expect(new Date(nextCronSlot(every5, start))).toEqual(new Date(2026, 10, 21, 12, 5, 0));
    const mondays = parseCron('0 9 * * 1');
    expect(new Date(nextCronSlot(mondays, start))).toEqual(new Date(2026, 10, 23, 9, 0, 0));
    const seconds = parseCron('*/20 * * * * *');
    expect(new Date(nextCronSlot(seconds, start))).toEqual(new Date(2026, 10, 21, 12, 1, 40));
  });
});

describe('the scheduler', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0 + 1000);
  });
  afterEach(() => vi.useRealTimers());

  it('runs monitors due at the same instant in one round, at aligned slots, without drift over a day', async () => {
    const rounds: Array<{ slot: number; names: string[] }> = [];
    const scheduler = new Scheduler(
      [monitor('a', 300), monitor('b', 300), monitor('c', 3600)],
      async (slot, monitors) => {
        rounds.push({ slot, names: monitors.map((m) => m.name) });
      },
      { logger: silentLogger(), lastRoundOf: () => T0 },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    scheduler.stop();
    // 288 five-minute slots in a day, every one exactly on a multiple of 300 s.
    const fiveMinute = rounds.filter((r) => r.names.includes('a'));
    expect(fiveMinute).toHaveLength(288);
    expect(fiveMinute.every((r) => r.slot % 300_000 === 0 && r.names.includes('b'))).toBe(true);
    const hourly = rounds.filter((r) => r.names.includes('c'));
    expect(hourly).toHaveLength(24);
    // At the top of each hour, a, b and c share one round (one price snapshot).
    expect(hourly.every((r) => r.names.length === 3)).toBe(true);
    expect(rounds.at(-1)!.slot).toBe(T0 + 24 * 3600_000);
  });

  it('does not stack a check that is still running; it logs and counts the overrun', async () => {
    const { logger, lines } = captureLogger();
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const slots: number[] = [];
    const scheduler = new Scheduler(
      [monitor('slow', 60)],
      async (slot) => {
        slots.push(slot);
        if (slots.length === 1) await slow;
      },
      { logger, lastRoundOf: () => T0 },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(60_000); // first slot starts and hangs
    await vi.advanceTimersByTimeAsync(120_000); // two more slots pass while it runs
    expect(slots).toEqual([T0 + 60_000]);
    expect(scheduler.stats.overruns).toBe(2);
    expect(lines().filter((l) => String(l.msg).includes('still checking'))).toHaveLength(2);
    release();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(slots).toEqual([T0 + 60_000, T0 + 240_000]);
    scheduler.stop();
  });

  it('runs the most recent slot at once when it has no completed round (first start or a crash)', async () => {
    const slots: number[] = [];
    const scheduler = new Scheduler(
      [monitor('a', 300)],
      async (slot) => {
        slots.push(slot);
      },
      { logger: silentLogger(), lastRoundOf: () => null },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(slots).toEqual([T0]);
    scheduler.stop();
  });

  it('keeps going when a round throws', async () => {
    const slots: number[] = [];
    const scheduler = new Scheduler(
      [monitor('a', 60)],
      async (slot) => {
        slots.push(slot);
        throw new Error('exchange down');
      },
      { logger: silentLogger(), lastRoundOf: () => T0 },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(180_000);
    expect(slots).toHaveLength(3);
    scheduler.stop();
  });

  it('drains running rounds within a bound', async () => {
    const scheduler = new Scheduler([monitor('a', 60)], () => new Promise(() => undefined), { logger: silentLogger(), lastRoundOf: () => null });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(0);
    scheduler.stop();
    const drained = scheduler.drain(5000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await drained).toBe(false);
  });

  it('follows a cron schedule instead of the interval', async () => {
    const slots: number[] = [];
    const scheduler = new Scheduler(
      [monitor('c', 300, '0 */2 * * *')],
      async (slot) => {
        slots.push(slot);
      },
      { logger: silentLogger() },
    );
    scheduler.start();
    await vi.advanceTimersByTimeAsync(6 * 3600_000);
    scheduler.stop();
    expect(slots.map((s) => new Date(s).getMinutes())).toEqual([0, 0, 0]);
    expect(slots.every((s) => new Date(s).getHours() % 2 === 0)).toBe(true);
  });

  it('never sleeps longer than 30 s, so a suspend or clock step delays a round by at most that and runs the most recent slot', async () => {
    // The wall clock the scheduler reads jumps two hours (a suspended laptop) while timers advance 30 s.
    let wall = T0 + 1000;
    const slots: number[] = [];
    const scheduler = new Scheduler([monitor('hourly', 3600)], async (slot) => void slots.push(slot), {
      logger: silentLogger(),
      now: () => wall,
      lastRoundOf: () => T0,
    });
    scheduler.start();
    await vi.advanceTimersByTimeAsync(1000);
    expect(slots).toEqual([]);
    wall = T0 + 2 * 3600_000 + 5000;
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS);
    scheduler.stop();
    expect(slots).toEqual([T0 + 2 * 3600_000]);
  });

  it.each([['0 0 L * *'], ['0 0 * * 1#2'], ['0 0 5L * *']])(
    'refuses to start with a schedule it cannot run (%s), with a typed one-line error',
    (expression) => {
      let caught: unknown;
      try {
        new Scheduler([monitor('odd', 300, expression)], async () => undefined, { logger: silentLogger() }).start();
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(SchedulerError);
      expect(caught).toMatchObject({ code: 'SCHEDULER_START', message: expect.stringMatching(/^monitor "odd": its schedule cannot be run/) });
    },
  );

  it('reports itself failed, not running, when a schedule stops computing', async () => {
    let calls = 0;
    const scheduler = new Scheduler([monitor('a', 60)], async () => undefined, { logger: silentLogger(), lastRoundOf: () => T0 });
    scheduler.start();
    expect(scheduler.state).toBe('running');
    // Break the entry's schedule after start, as a schedule that runs out of matches would.
    (scheduler as unknown as { entries: Array<{ nextAfter: () => number }> }).entries[0]!.nextAfter = () => {
      calls++;
      throw new Error('cron expression matches no time in the foreseeable future');
    };
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toBe(1);
    expect(scheduler.state).toBe('failed');
    expect(scheduler.failureReason).toMatch(/matches no time/);
  });
});
