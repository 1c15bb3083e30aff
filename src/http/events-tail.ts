/**
 * @module http/events-tail — new rows of the events table, pushed to live subscribers.
 *
 * One poller for all clients (an indexed query every `intervalMs` while anyone
 * listens), so events written by any process — this service's rounds, or an
 * `asterwatch check` beside it — reach the stream. `poke()` after a round makes this
 * process's own events immediate.
 */
import type { SqliteStore, StoredEvent } from '../store/index.js';

export type Subscriber = (event: StoredEvent) => void;

export class EventTail {
  private readonly subscribers = new Set<Subscriber>();
  private lastSeq: number;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly store: SqliteStore, private readonly intervalMs = 500) {
    this.lastSeq = store.events.lastSeq();
  }

  /** Adds a subscriber; returns the function that removes it. */
  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    if (this.timer === null) {
      this.timer = setInterval(() => this.poke(), this.intervalMs);
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

  /** Reads new events now and delivers them to every subscriber. */
  poke(): void {
    if (this.subscribers.size === 0) {
      this.lastSeq = this.store.events.lastSeq();
      return;
    }
    for (let i = 0; i < 20; i++) {
      const batch = this.store.events.after(this.lastSeq, 500);
      if (batch.length === 0) return;
      this.lastSeq = batch[batch.length - 1]!.seq;
      for (const event of batch) {
        for (const subscriber of this.subscribers) subscriber(event);
      }
    }
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
