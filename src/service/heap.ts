/**
 * @module service/heap — the collector's settings for a long-running service.
 *
 * Why: V8 lets the old generation grow to a multiple of what survived the last full
 * collection (up to 4×, by how fast the program allocates). A round of 10,000 monitors
 * allocates a few megabytes that die at once, so the heap grew to 2.5× its live size and
 * stayed there: 300 MB resident for a 64 MB live heap (bench/service-memory.mjs). Growing
 * by 20% at most keeps it near its live size; full collections come sooner, and on the
 * measured machine round times did not change. The flags are process-wide, which is why the
 * `run` command (a process of its own) sets them, not the library.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { IdleCollection } from './idle-collector.js';

export const HEAP_GROWING_PERCENT = 20;

/**
 * Sets the heap's growth and returns what the service's idle collector needs (see
 * service/idle-collector.ts): V8's `gc`, exposed by its flag and taken from a new context
 * (the flag applies to contexts made after it is set), so the process needs no command-line flag.
 */
export function tuneHeapForService(): IdleCollection | undefined {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  setFlagsFromString('--expose-gc');
  // Changing flags after start-up is not guaranteed by Node: without the function, the service
  // simply runs without the idle collection.
  const gc = runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
  if (gc === undefined) return undefined;
  return { collect: () => gc(), heapUsed: () => getHeapStatistics().used_heap_size };
}
