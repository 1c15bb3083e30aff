/**
 * @module delivery/outbox — delivering stored events to each sink, in order, at least once.
 *
 * One loop per sink reads that sink's oldest pending delivery from the database, sends
 * it, and marks it done only after the sink acknowledged it. A retryable failure
 * backs off (exponential with jitter, or the receiver's Retry-After) and blocks the
 * sink's later events, so they arrive in order. A permanent failure (a 4xx) moves that
 * one event to the dead-letter list. A sink failing for longer than `deadAfterMs` or
 * `deadAfterAttempts` has all its pending events moved to dead, so a dead receiver
 * never grows the database without bound; other sinks are unaffected.
 */
import type { Logger } from '../log/logger.js';
import type { SqliteStore } from '../store/index.js';
import { DeliveryError, type Sink } from './sinks/sink.js';

export interface OutboxOptions {
  /** A sink failing for longer than this moves its pending events to dead (default 24 h). */
  deadAfterMs?: number;
  /** …or after this many failed attempts of its oldest event (default 100). */
  deadAfterAttempts?: number;
  /** First retry delay (default 1 s), doubled per attempt up to maxBackoffMs. */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  now?: () => number;
  random?: () => number;
}

const BATCH = 64;

export class Outbox {
  private readonly sinks: Map<string, Sink>;
  private readonly wakers = new Map<string, () => void>();
  /** Sinks notified while their loop was busy: checked before sleeping, so no wake-up is lost. */
  private readonly signalled = new Set<string>();
  private readonly loops: Array<Promise<void>> = [];
  private stopped = true;
  private readonly deadAfterMs: number;
  private readonly deadAfterAttempts: number;
  private readonly backoffBaseMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  /** Deliveries currently being sent, for drain(). */
  private sending = 0;
  /** Called after each delivery attempt (for metrics): delivered, retry (will be retried) or dead. */
  onResult: ((sink: string, result: 'delivered' | 'retry' | 'dead', count: number) => void) | null = null;

  constructor(private readonly store: SqliteStore, sinks: readonly Sink[], private readonly logger: Logger, options: OutboxOptions = {}) {
    this.sinks = new Map(sinks.map((s) => [s.name, s]));
    this.deadAfterMs = options.deadAfterMs ?? 24 * 60 * 60 * 1000;
    this.deadAfterAttempts = options.deadAfterAttempts ?? 100;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5 * 60 * 1000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
  }

  /** Starts one delivery loop per sink. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    for (const sink of this.sinks.values()) this.loops.push(this.loop(sink));
  }

  /** New events were committed: wake every sink loop. */
  notify(): void {
    for (const name of this.sinks.keys()) this.signalled.add(name);
    for (const wake of this.wakers.values()) wake();
  }

  /** Waits until no sink has a due pending delivery, at most `timeoutMs`; true when empty. */
  async drain(timeoutMs: number): Promise<boolean> {
    // Not running: nothing will deliver, so there is nothing to wait for.
    if (this.stopped) return this.sending === 0 && !this.hasDuePending();
    const deadline = this.now() + timeoutMs;
    for (let i = 0; i < 100_000; i++) {
      if (this.sending === 0 && !this.hasDuePending()) return true;
      if (this.now() >= deadline) return false;
      this.notify();
      await sleep(Math.min(20, Math.max(1, deadline - this.now())));
    }
    return false;
  }

  /** Stops the loops after their current delivery; closes the sinks. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.notify();
    await Promise.allSettled(this.loops);
    this.loops.length = 0;
    await Promise.allSettled([...this.sinks.values()].map((s) => s.close?.()));
  }

  /** Delivers what is due for one sink now, once (used by loops and by `check`). Returns ms until the next due attempt, or null when nothing is pending. */
  async deliverDue(sink: Sink): Promise<number | null> {
    for (;;) {
      const head = this.store.outbox.head(sink.name, BATCH);
      if (head.length === 0) return null;
      // After any failure the batch is stale (rows may have moved to dead): read it again.
      batch: for (const delivery of head) {
        const wait = delivery.nextAttemptAt - this.now();
        if (wait > 0) return wait;
        if (this.stopped && this.loops.length > 0) return null;
        this.sending++;
        try {
          await sink.deliver(delivery.event);
          this.store.outbox.markDone(delivery.seq, sink.name, this.now());
          this.onResult?.(sink.name, 'delivered', 1);
        } catch (error) {
          const blocked = this.recordFailure(sink, delivery, error);
          if (blocked) return Math.max(1, this.nextDueIn(sink.name));
          break batch;
        } finally {
          this.sending--;
        }
      }
    }
  }

  private async loop(sink: Sink): Promise<void> {
    while (!this.stopped) {
      let wait: number | null;
      try {
        wait = await this.deliverDue(sink);
      } catch (error) {
        this.logger.error({ sink: sink.name, err: error }, 'outbox loop error; retrying in 1 s');
        wait = 1000;
      }
      if (this.stopped) break;
      if (this.signalled.delete(sink.name)) continue;
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | null = null;
        const done = (): void => {
          if (timer !== null) clearTimeout(timer);
          this.wakers.delete(sink.name);
          this.signalled.delete(sink.name);
          resolve();
        };
        if (wait !== null) timer = setTimeout(done, Math.min(wait, 2 ** 31 - 1));
        this.wakers.set(sink.name, done);
      });
    }
    this.wakers.delete(sink.name);
  }

  /** Returns true when the sink is blocked (a retryable failure) and the loop should wait. */
  private recordFailure(sink: Sink, delivery: { seq: number; attempts: number; firstFailedAt: number | null; event: { id: string } }, error: unknown): boolean {
    const now = this.now();
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof DeliveryError && !error.retryable) {
      this.store.outbox.markDead(delivery.seq, sink.name, message, now);
      this.onResult?.(sink.name, 'dead', 1);
      this.logger.error({ sink: sink.name, event: delivery.event.id, reason: message }, `sink "${sink.name}" refused the event permanently; it is kept in the dead-letter list (asterwatch outbox)`);
      return false;
    }
    const attempts = delivery.attempts + 1;
    const failingFor = now - (delivery.firstFailedAt ?? now);
    if (attempts >= this.deadAfterAttempts || failingFor >= this.deadAfterMs) {
      const moved = this.store.outbox.killPending(sink.name, message, now);
      this.onResult?.(sink.name, 'dead', moved);
      this.logger.error({ sink: sink.name, attempts, failingForMs: failingFor, moved, reason: message },
        `sink "${sink.name}" has been failing too long; ${moved} pending event(s) moved to the dead-letter list (replay with: asterwatch outbox retry)`);
      return false;
    }
    const backoff = Math.min(this.maxBackoffMs, this.backoffBaseMs * 2 ** (attempts - 1));
    const delay = error instanceof DeliveryError && error.retryAfterMs !== undefined ? error.retryAfterMs : Math.round(backoff / 2 + (this.random() * backoff) / 2);
    this.store.outbox.markFailed(delivery.seq, sink.name, message, now + delay, now);
    this.onResult?.(sink.name, 'retry', 1);
    this.logger.warn({ sink: sink.name, event: delivery.event.id, attempt: attempts, retryInMs: delay, reason: message }, `delivery to sink "${sink.name}" failed; will retry`);
    return true;
  }

  private nextDueIn(sink: string): number {
    const [head] = this.store.outbox.head(sink, 1);
    return head === undefined ? 0 : head.nextAttemptAt - this.now();
  }

  private hasDuePending(): boolean {
    const now = this.now();
    for (const sink of this.sinks.keys()) {
      const [head] = this.store.outbox.head(sink, 1);
      if (head !== undefined && head.nextAttemptAt <= now) return true;
    }
    return false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
