/**
 * @module config/cadence — how often a monitor runs: `check_interval`, or a cron `schedule`.
 *
 * A schedule is checked with the scheduler's own parser and slot calculation, so that a
 * file that validates is a file the scheduler can run, and it is held to the same minimum
 * as `check_interval`.
 */
import { z } from 'zod';
import { nextCronSlot, parseCron } from '../scheduler/slots.js';
import { nonEmpty } from './fields.js';
import type { ModeBuildContext, RawMonitor } from './mode-context.js';

export const MIN_INTERVAL = 60;
export const MAX_INTERVAL = 86_400;

export const intervalSchema = z
  .number({ error: `must be a whole number of seconds from ${MIN_INTERVAL} to ${MAX_INTERVAL}` })
  .int({ error: 'must be a whole number of seconds' })
  .min(MIN_INTERVAL, { error: `must be at least ${MIN_INTERVAL} seconds (it is not clamped)` })
  .max(MAX_INTERVAL, { error: `must be at most ${MAX_INTERVAL} seconds (one day; it is not clamped)` });

/** A cron expression the scheduler can run, no more often than check_interval allows. */
export const cronField = nonEmpty('a cron expression such as "*/5 * * * *"').superRefine((expression, ctx) => {
  const problem = scheduleProblem(expression, Date.now());
  if (problem !== null) ctx.addIssue({ code: 'custom', message: problem });
});

/** What is wrong with `expression` as a schedule, or null. */
export function scheduleProblem(expression: string, now: number): string | null {
  const quoted = JSON.stringify(expression);
  let fields: ReturnType<typeof parseCron>;
  try {
    fields = parseCron(expression);
  } catch (error) {
    return `${quoted} is not a valid cron expression (${(error as Error).message}); use five or six fields, e.g. "*/5 * * * *" (every 5 minutes)`;
  }
  // node-cron's parser keeps L, W and # as they are written (or as NaN); the scheduler
  // compares whole numbers only, so such an expression would never match.
  if (Object.values(fields).some((values) => [...values].some((value) => !Number.isInteger(value)))) {
    return `${quoted} uses L, W or #, which the scheduler does not support; use numbers, ranges (1-5), lists (1,15) and steps (*/5)`;
  }
  let first: number;
  try {
    first = nextCronSlot(fields, now);
  } catch {
    return `${quoted} matches no time the scheduler can find in the coming years; check the day of month, month and day of week`;
  }
  // Every second the seconds field lists fires in each minute that matches, so the two
  // closest runs are the first two of a minute that fires: the one the first run is in.
  const minuteStart = first - (first % 60_000);
  const earliest = nextCronSlot(fields, minuteStart - 1);
  const gapSeconds = (nextCronSlot(fields, earliest) - earliest) / 1000;
  if (gapSeconds < MIN_INTERVAL) {
    const gap = gapSeconds === 1 ? '1 second' : `${gapSeconds} seconds`;
    return `${quoted} runs ${gap} apart; a schedule must leave at least ${MIN_INTERVAL} seconds between runs, as check_interval does (give the seconds field one value, e.g. "0 * * * * *")`;
  }
  return null;
}

/** `schedule` replaces `check_interval`; both written is a mistake, not a choice to make silently. */
export function checkCadence(monitor: RawMonitor, ctx: ModeBuildContext): void {
  if (monitor.schedule !== undefined && monitor.check_interval !== undefined) {
    ctx.problem(ctx.at('check_interval'), 'check_interval and schedule are both set, and schedule replaces check_interval; keep one of the two', { at: 'key' });
  }
}
