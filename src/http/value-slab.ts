/**
 * @module http/value-slab — fixed-size runs of numbers carved from shared typed arrays.
 *
 * Why: a typed array per chart ring costs ~200 bytes of bookkeeping (the array, its buffer,
 * the buffer's native record and allocation) beside 960 bytes of numbers; 10,000 rings are
 * ~2 MB of it (issue 16's memory target). A run given back is reused by the next taker.
 */

/** A run of `size` numbers: data[base] to data[base + size - 1]. */
export interface SlabSlot {
  readonly data: Float64Array;
  readonly base: number;
}

const RUNS_PER_CHUNK = 256;

export class ValueSlab {
  private chunk: Float64Array | null = null;
  private used = RUNS_PER_CHUNK;
  private readonly free: SlabSlot[] = [];

  constructor(private readonly size: number) {}

  take(): SlabSlot {
    const reused = this.free.pop();
    if (reused !== undefined) return reused;
    if (this.chunk === null || this.used === RUNS_PER_CHUNK) {
      this.chunk = new Float64Array(this.size * RUNS_PER_CHUNK);
      this.used = 0;
    }
    return { data: this.chunk, base: this.size * this.used++ };
  }

  /** Gives a run back; its numbers are left as they are (a taker writes before it reads). */
  give(slot: SlabSlot): void {
    this.free.push(slot);
  }
}
