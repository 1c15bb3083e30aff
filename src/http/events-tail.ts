/**
 * @module http/events-tail — new rows of the events table, pushed to live subscribers.
 *
 * One poller for all clients (an indexed query every `intervalMs` while anyone
 * listens), so events written by any process — this service's rounds, or an
 * `asterwatch check` beside it — reach the stream. `poke()` after a round makes this
 * process's own events immediate.
 */
import type { EventStore, StoredEvent } from '../store/index.js';

export type Subscriber = (event: StoredEvent) => void;

const PAGE = 500;

export class EventTail {
  private readonly subscribers = new Set<Subscriber>();
  private lastSeq: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;

  constructor(
    private readonly events: EventStore,
    private readonly intervalMs = 500,
  ) {}

  /**
   * Reads where the tail starts: the newest event now, unless someone listens already (then
   * the tail's position is current). Called before a subscriber is added, so a new client
   * never receives events raised before it came — by another process, while nobody listened.
   */
  async init(): Promise<void> {
    if (this.subscribers.size > 0 && this.lastSeq !== null) return;
    const newest = await this.events.lastSeq();
    if (this.subscribers.size === 0 || this.lastSeq === null) this.lastSeq = newest;
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    if (this.timer === null) {
      this.timer = setInterval(() => void this.poke(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  get listeners(): number {
    return this.subscribers.size;
  }

  /** The seq the tail has delivered up to. */
  get position(): number {
    return this.lastSeq ?? 0;
  }

  /** Reads new events now and delivers them to every subscriber (one read at a time). */
  poke(): Promise<void> {
    this.reading ??= this.read().finally(() => {
      this.reading = null;
    });
    return this.reading;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async read(): Promise<void> {
    if (this.subscribers.size === 0 || this.lastSeq === null) {
      const newest = await this.events.lastSeq();
      // Skip ahead only if still nobody listens: a subscriber that came during the read must
      // receive every event above the position it was promised.
      if (this.subscribers.size === 0 || this.lastSeq === null) {
        this.lastSeq = newest;
        return;
      }
    }
    for (let i = 0; i < 20; i++) {
      const batch = await this.events.after(this.lastSeq, PAGE);
      if (batch.length === 0) return;
      this.lastSeq = batch[batch.length - 1]!.seq;
      for (const event of batch) {
        for (const subscriber of this.subscribers) subscriber(event);
      }
    }
  }
}
