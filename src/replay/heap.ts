/**
 * @module replay/heap — the collector's setting for a long replay.
 *
 * Why: V8 moves an allocation site to the old generation when most of its objects outlive a
 * young collection ("pretenuring"). Early in a replay (candles being read, the first slots
 * still interpreted) it sometimes judges a check's per-slot objects that way, and for the
 * rest of the run they are allocated old and collected by full mark-compacts: a year of
 * minutes then takes 6-8 s instead of 3 s, in about one run of three on the measured machine.
 * They live one slot, so pretenuring never pays here. The flag is process-wide, which is why
 * the `replay` command (a process of its own) sets it, not the library function.
 */
import { setFlagsFromString } from 'node:v8';

export function tuneHeapForReplay(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
