/**
 * @module delivery/outbox — delivering stored events to each sink, in order, at least once.
 *
 * One loop per sink claims the due head of that sink's pending deliveries (a lease and a
 * token, so two deliverers — a `check` beside `run` — never send the same row at once),
 * sends each, and acknowledges it only after the sink accepted it. A retryable failure
 * backs off (exponential with equal jitter, or the receiver's Retry-After, never longer than
 * the backoff ceiling) and blocks the sink's later events, so they arrive in order. A
 * permanent failure (a 4xx) moves that one event to the dead-letter list. A sink failing for
 * longer than `deadAfterMs` (checked whenever its loop wakes, due or not) or
 * `deadAfterAttempts` has all its pending events moved to dead; other sinks are unaffected.
 * Retention (Store.prune) keeps the tables bounded; pending deliveries are never pruned.
 */
import type { Emitter } from '../hooks.js';
import type { Logger } from '../log/logger.js';
import type { ClaimedDelivery, Store } from '../store/index.js';
import { DeliveryError, type Sink } from './sinks/sink.js';

export type DeliveryResult = 'delivered' | 'retry' | 'dead';

/** What the outbox reports to observers (metrics). */
export type OutboxEvents = { delivery: [sink: string, result: DeliveryResult, count: number] };

export interface OutboxOptions {
  /** A sink failing for longer than this moves its pending events to dead (default 24 h). */
  deadAfterMs?: number;
  /** …or after this many failed attempts of its oldest event (default 100). */
  deadAfterAttempts?: number;
  /** First retry delay (default 1 s), doubled per attempt up to maxBackoffMs. */
  backoffBaseMs?: number;
  maxBackoffMs?: number;
  /** How long a claim holds its rows (default 15 s: longer than one delivery's timeout); each ack extends it. */
  leaseMs?: number;
  now?: () => number;
  random?: () => number;
  hooks?: Emitter<OutboxEvents>;
}

const BATCH = 64;
/** The longest a loop sleeps before looking again (another process may have rescheduled or added deliveries). */
const MAX_SLEEP_MS = 30_000;

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
  private readonly leaseMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly hooks: Emitter<OutboxEvents> | undefined;
  /** Deliveries currently being sent, for drain(). */
  private sending = 0;
  /** Aborted at the end of stop()'s grace: deliveries still in flight are abandoned, not waited for. */
  private readonly abandon = new AbortController();

  constructor(
    private readonly store: Store,
    sinks: readonly Sink[],
    private readonly logger: Logger,
    options: OutboxOptions = {},
  ) {
    this.sinks = new Map(sinks.map((s) => [s.name, s]));
    this.deadAfterMs = options.deadAfterMs ?? 24 * 60 * 60 * 1000;
    this.deadAfterAttempts = options.deadAfterAttempts ?? 100;
    this.backoffBaseMs = options.backoffBaseMs ?? 1000;
    this.maxBackoffMs = options.maxBackoffMs ?? 5 * 60 * 1000;
    this.leaseMs = options.leaseMs ?? 15_000;
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.hooks = options.hooks;
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

  /**
   * Waits until none of its sinks has a pending delivery — due, or waiting for a retry —
   * at most `timeoutMs`; true when everything was delivered (or buried).
   */
  async drain(timeoutMs: number): Promise<boolean> {
    // Not running: nothing will deliver, so there is nothing to wait for.
    if (this.stopped) return this.sending === 0 && !(await this.hasPending());
    const deadline = this.now() + timeoutMs;
    for (let i = 0; i < 100_000; i++) {
      if (this.sending === 0 && !(await this.hasPending())) return true;
      if (this.now() >= deadline) return false;
      this.notify();
      await sleep(Math.min(20, Math.max(1, deadline - this.now())));
    }
    return false;
  }

  /**
   * Stops the loops after their current delivery, waiting for it at most `graceMs`; a
   * delivery still in flight then is abandoned (it stays pending, not failed). Closes the sinks.
   */
  async stop(graceMs = 1000): Promise<void> {
    this.stopped = true;
    this.notify();
    const loops = Promise.allSettled(this.loops);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), graceMs)));
    if ((await Promise.race([loops, expired])) === 'expired') {
      this.abandon.abort();
      await loops;
    }
    clearTimeout(timer);
    this.loops.length = 0;
    await Promise.allSettled([...this.sinks.values()].map((s) => s.close?.()));
  }

  /**
   * Delivers what is due for one sink now (used by the loops and by `check`). Returns ms
   * until the next due attempt, or null when nothing is pending.
   */
  async deliverDue(sink: Sink): Promise<number | null> {
    for (;;) {
      const claim = await this.store.outbox.claim(sink.name, { limit: BATCH, leaseMs: this.leaseMs, now: this.now() });
      if (claim.deliveries.length === 0) {
        if (claim.nextDueAt === null) return null;
        // Failing too long is judged by time even when the next attempt is far off.
        if (await this.failingTooLong(sink)) continue;
        return Math.max(1, claim.nextDueAt - this.now());
      }
      try {
        for (const delivery of claim.deliveries) {
          if (this.stopped && this.loops.length > 0) return null;
          const next = await this.deliverOne(sink, claim.token, delivery);
          if (next === 'blocked') return Math.max(1, await this.nextDueIn(sink.name));
          if (next === 'reclaim') break;
        }
      } finally {
        await this.store.outbox.release(claim.token);
      }
    }
  }

  private async deliverOne(sink: Sink, token: string, delivery: ClaimedDelivery): Promise<'next' | 'reclaim' | 'blocked'> {
    this.sending++;
    try {
      await sink.deliver(delivery.event, this.abandon.signal);
      const acknowledged = await this.store.outbox.ack(token, delivery.seq, sink.name, this.now(), this.leaseMs);
      this.hooks?.emit('delivery', sink.name, 'delivered', 1);
      if (acknowledged) return 'next';
      // The lease ran out during the send and another deliverer took the row: it may send it
      // again (receivers dedupe by id); read the head afresh.
      this.logger.warn({ sink: sink.name, event: delivery.event.id }, 'a delivery outlived its claim; another deliverer holds it now');
      return 'reclaim';
    } catch (error) {
      return (await this.recordFailure(sink, token, delivery, error)) ? 'blocked' : 'reclaim';
    } finally {
      this.sending--;
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
        timer = setTimeout(done, Math.min(wait ?? MAX_SLEEP_MS, MAX_SLEEP_MS));
        this.wakers.set(sink.name, done);
      });
    }
    this.wakers.delete(sink.name);
  }

  /** Returns true when the sink is blocked (a retryable failure) and the loop should wait. */
  private async recordFailure(sink: Sink, token: string, delivery: ClaimedDelivery, error: unknown): Promise<boolean> {
    const now = this.now();
    const message = error instanceof Error ? error.message : String(error);
    // Cut short by shutdown: not an attempt; the row stays pending as it was (the claim is released).
    if (error instanceof DeliveryError && error.abandoned) return true;
    if (error instanceof DeliveryError && !error.retryable) {
      await this.store.outbox.bury(token, delivery.seq, sink.name, { error: message, now });
      this.hooks?.emit('delivery', sink.name, 'dead', 1);
      this.logger.error(
        { sink: sink.name, event: delivery.event.id, reason: message },
        `sink "${sink.name}" refused the event permanently; it is kept in the dead-letter list (asterwatch outbox)`,
      );
      return false;
    }
    const attempts = delivery.attempts + 1;
    const failingFor = now - (delivery.firstFailedAt ?? now);
    if (attempts >= this.deadAfterAttempts || failingFor >= this.deadAfterMs) {
      // The attempt that just failed counts (the dead-letter list says how many were made).
      await this.store.outbox.nack(token, delivery.seq, sink.name, { error: message, nextAttemptAt: now, now });
      const moved = await this.store.outbox.killPending(sink.name, message, now);
      this.hooks?.emit('delivery', sink.name, 'dead', moved);
      this.logger.error(
        { sink: sink.name, attempts, failingForMs: failingFor, moved, reason: message },
        `sink "${sink.name}" has been failing too long; ${moved} pending event(s) moved to the dead-letter list (replay with: asterwatch outbox retry)`,
      );
      return false;
    }
    const backoff = Math.min(this.maxBackoffMs, this.backoffBaseMs * 2 ** (attempts - 1));
    // A receiver's Retry-After is honoured up to the backoff ceiling: 999999999 s must not stall a sink for good.
    const asked = error instanceof DeliveryError && error.retryAfterMs !== undefined ? Math.max(0, error.retryAfterMs) : undefined;
    const delay = asked !== undefined ? Math.min(this.maxBackoffMs, asked) : Math.round(backoff / 2 + (this.random() * backoff) / 2);
    await this.store.outbox.nack(token, delivery.seq, sink.name, { error: message, nextAttemptAt: now + delay, now });
    this.hooks?.emit('delivery', sink.name, 'retry', 1);
    this.logger.warn(
      { sink: sink.name, event: delivery.event.id, attempt: attempts, retryInMs: delay, reason: message },
      `delivery to sink "${sink.name}" failed; will retry`,
    );
    return true;
  }

  private async nextDueIn(sink: string): Promise<number> {
    const head = await this.store.outbox.head(sink);
    return head === null ? 0 : head.nextAttemptAt - this.now();
  }

  private async hasPending(): Promise<boolean> {
    for (const sink of this.sinks.keys()) if ((await this.store.outbox.head(sink)) !== null) return true;
    return false;
  }

  /** When the sink's oldest pending delivery has failed for longer than deadAfterMs: its pending deliveries go to dead. */
  private async failingTooLong(sink: Sink): Promise<boolean> {
    const head = await this.store.outbox.head(sink.name);
    const now = this.now();
    if (head === null || head.firstFailedAt === null || now - head.firstFailedAt < this.deadAfterMs) return false;
    const moved = await this.store.outbox.killPending(sink.name, 'failing for longer than dead_after_seconds', now);
    this.hooks?.emit('delivery', sink.name, 'dead', moved);
    this.logger.error(
      { sink: sink.name, failingForMs: now - head.firstFailedAt, moved },
      `sink "${sink.name}" has been failing too long; ${moved} pending event(s) moved to the dead-letter list (replay with: asterwatch outbox retry)`,
    );
    return moved > 0;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
