/**
 * @module replay/slots — the slots the live scheduler would have run a monitor at, in a range.
 */
import type { MonitorConfig } from '../config/index.js';
import { nextCronSlot, nextIntervalSlot, parseCron } from '../scheduler/slots.js';

/** Every slot of `monitor` in [from, to] (ms), in order; at most `limit` (a bound on hostile ranges). */
export function slotsOf(monitor: MonitorConfig, from: number, to: number, limit: number): number[] {
  const slots: number[] = [];
  if (monitor.schedule !== null) {
    const fields = parseCron(monitor.schedule);
    for (let t = nextCronSlot(fields, from - 1); t <= to && slots.length < limit; t = nextCronSlot(fields, t)) slots.push(t);
    return slots;
  }
  for (let t = nextIntervalSlot(monitor.intervalSeconds, from - 1); t <= to && slots.length < limit; t += monitor.intervalSeconds * 1000) slots.push(t);
  return slots;
}
