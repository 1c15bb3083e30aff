/**
 * @module scheduler/slots — when a monitor is next due, aligned to the wall clock.
 *
 * An interval monitor is due at every multiple of its interval since the Unix epoch
 * (a 300 s monitor at :00, :05, …), so monitors with the same interval share rounds
 * and no drift accumulates. A cron monitor is due at each time its expression matches
 * (local time, as node-cron reads it).
 */
import { lazyModule } from '../lazy-module.js';

/** node-cron, loaded when a monitor has a cron schedule. */
const cron = lazyModule<{ parse(e: string): Record<keyof CronFields, number[]> }>('node-cron');

/** The first slot strictly after `after` (ms) for an interval in seconds. */
export function nextIntervalSlot(intervalSeconds: number, after: number): number {
  const step = intervalSeconds * 1000;
  return (Math.floor(after / step) + 1) * step;
}

interface CronFields {
  second: Set<number>;
  minute: Set<number>;
  hour: Set<number>;
  dayOfMonth: Set<number>;
  month: Set<number>;
  dayOfWeek: Set<number>;
}

/** Parses a cron expression once (5 or 6 fields) with node-cron's parser. */
export function parseCron(expression: string): CronFields {
  const parsed = cron().parse(expression);
  return {
    second: new Set(parsed.second),
    minute: new Set(parsed.minute),
    hour: new Set(parsed.hour),
    dayOfMonth: new Set(parsed.dayOfMonth),
    month: new Set(parsed.month),
    dayOfWeek: new Set(parsed.dayOfWeek.map((d) => d % 7)),
  };
}

/** The first time strictly after `after` (ms) that matches; skips whole months/days/hours/minutes at a time. */
export function nextCronSlot(fields: CronFields, after: number): number {
  let t = new Date(Math.floor(after / 1000) * 1000 + 1000);
  // Bounded: at most a few hundred skips reach any date within the next years.
  for (let guard = 0; guard < 100_000; guard++) {
    if (!fields.month.has(t.getMonth() + 1)) {
      t = new Date(t.getFullYear(), t.getMonth() + 1, 1, 0, 0, 0);
    } else if (!fields.dayOfMonth.has(t.getDate()) || !fields.dayOfWeek.has(t.getDay())) {
      t = new Date(t.getFullYear(), t.getMonth(), t.getDate() + 1, 0, 0, 0);
    } else if (!fields.hour.has(t.getHours())) {
      t = new Date(t.getFullYear(), t.getMonth(), t.getDate(), t.getHours() + 1, 0, 0);
    } else if (!fields.minute.has(t.getMinutes())) {
      t = new Date(t.getFullYear(), t.getMonth(), t.getDate(), t.getHours(), t.getMinutes() + 1, 0);
    } else if (!fields.second.has(t.getSeconds())) {
      t = new Date(t.getTime() + 1000);
    } else {
      return t.getTime();
    }
  }
  throw new Error('cron expression matches no time in the foreseeable future');
}
