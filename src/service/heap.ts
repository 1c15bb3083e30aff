/**
 * @module service/heap — the collector's setting for a long-running service.
 *
 * Why: V8 lets the old generation grow to a multiple of what survived the last full
 * collection (up to 4×, by how fast the program allocates). A round of 10,000 monitors
 * allocates a few megabytes that die at once, so the heap grew to 2.5× its live size and
 * stayed there: 300 MB resident for a 64 MB live heap (bench/service-memory.mjs). Growing
 * by 20% at most keeps it near its live size; full collections come sooner, and on the
 * measured machine round times did not change. The flag is process-wide, which is why the
 * `run` and `demo` commands (processes of their own) set it, not the library.
 */
import { setFlagsFromString } from 'node:v8';

export const HEAP_GROWING_PERCENT = 20;

export function tuneHeapForService(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
