/**
 * @module service/idle-collector — a full garbage collection in the idle time after a round.
 *
 * Why (issue 16, resident memory of `run --http` at 10,000 monitors): a round allocates ~7 MB
 * that lives until its commit, so young collections promote it and the old generation fills
 * with the dead rounds until V8's next full collection, which it starts only once the heap has
 * grown past its limit — 20–35 MB above the live heap, whatever the idle time between rounds.
 * Rounds are at least a minute apart (interval_seconds ≥ 60), so one collection in that time,
 * when a round has left the heap well above what the last one found alive, keeps the process
 * near its live size. At 10,000 monitors it takes ~25 ms of a 60 s interval.
 *
 * A round starting cancels a collection not yet begun, and none runs while a round is under
 * way: the collector only uses time no round wants. Without a collector function (a library
 * user who did not ask for it, see service/heap.ts) it does nothing.
 */

/** How long after a round ends the collection waits, so rounds due together run first. */
export const IDLE_COLLECTION_DELAY_MS = 100;
/** Growth over the live heap the last collection left that is worth a collection. */
const GROWTH_FRACTION = 0.2;
const GROWTH_MIN_BYTES = 4 * 1024 * 1024;

export interface IdleCollectorOptions {
  /** A blocking full collection (V8's `gc`). */
  collect: () => void;
  /** Bytes in use on the heap now. */
  heapUsed: () => number;
  delayMs?: number;
}

/** What `tuneHeapForService()` hands the service: the collection and the heap's measure. */
export type IdleCollection = Pick<IdleCollectorOptions, 'collect' | 'heapUsed'>;

export class IdleCollector {
  private running = 0;
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  /** Bytes alive after the last collection (0 before any: the first idle moment collects). */
  private live = 0;
  /** Collections run, for tests and the figures. */
  collections = 0;

  constructor(private readonly options: IdleCollectorOptions) {}

  roundStarted(): void {
    this.running++;
    this.cancel();
  }

  roundEnded(): void {
    this.running = Math.max(0, this.running - 1);
    // After stop(): a round the shutdown is still draining ends, and nothing may run after it.
    if (this.stopped || this.running > 0 || this.timer !== null) return;
    this.timer = setTimeout(() => this.collectIfGrown(), this.options.delayMs ?? IDLE_COLLECTION_DELAY_MS);
    this.timer.unref();
  }

  /** At shutdown: no collection runs from now on. */
  stop(): void {
    this.stopped = true;
    this.cancel();
  }

  private cancel(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private collectIfGrown(): void {
    this.timer = null;
    if (this.stopped || this.running > 0) return;
    try {
      const used = this.options.heapUsed();
      // Below the last measure: V8 collected on its own since (or that measure was taken while
      // something large was briefly alive); the lower figure is the better estimate.
      if (used < this.live) this.live = used;
      if (used - this.live < Math.max(GROWTH_MIN_BYTES, this.live * GROWTH_FRACTION)) return;
      this.options.collect();
      this.collections++;
      this.live = this.options.heapUsed();
    } catch {
      // A timer's exception would end the process; collection is only an economy: stop it.
      this.stopped = true;
    }
  }
}
