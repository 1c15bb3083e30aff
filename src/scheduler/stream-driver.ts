/**
 * @module scheduler/stream-driver — pushed modes: what streams deliver, micro-batched into commits.
 *
 * Items are buffered as they arrive (the stream is never blocked by the disk) and handed to
 * each monitor's check as soon as the previous commit is done — what arrives meanwhile makes
 * the next batch — and at least every `tickMs` even when nothing arrived (a rolling window
 * that drains must re-arm). One flush is one guarded commit — states, events and deliveries
 * in one transaction — exactly the shape of a round. At start, each check gets what its
 * streams recorded before (rolling windows are rebuilt; what arrived after the last commit
 * before a crash is evaluated), and a batch whose commit failed is tried again with the next.
 */
import type { AlertEvent } from '../events/index.js';
import { withStreamLifecycle } from '../lifecycle/bind.js';
import type { MonitorConfig } from '../config/index.js';
import type { Emitter } from '../hooks.js';
import type { Logger } from '../log/logger.js';
import type { MonitorCheck, ResumeContext, StreamedCheck } from '../modes/mode.js';
import { StaleStateError, type Store, type StoredEvent } from '../store/index.js';
import type { StreamCatalog } from '../streams/catalog.js';
import type { FeedGap, FeedStatus, StreamSource } from '../streams/stream-source.js';
import { buildCommit, failedCheck } from './commit.js';

export interface BatchOutcome {
  at: number;
  items: number;
  checks: MonitorCheck[];
  events: StoredEvent[];
  durationMs: number;
}

export type StreamDriverEvents = { batch: [BatchOutcome]; gap: [FeedGap] };

export interface StreamDriverOptions {
  store: Store;
  logger: Logger;
  /** The sinks an event goes to; none for a silenced one (which the route marks `data.silenced`). */
  route(monitor: MonitorConfig, severity: number, event: AlertEvent): string[];
  /** What pushed modes may listen to (the service's liquidation feed). */
  catalog?: StreamCatalog;
  hooks?: Emitter<StreamDriverEvents>;
  now?: () => number;
  /** How often the driver looks for a tick or a missed flush (default 100 ms); items themselves are committed at once. */
  batchMs?: number;
  /** Longest time without evaluating a monitor (default 250 ms: a mode may promise "at least once a second"). */
  tickMs?: number;
  /** Items held while a commit is slow; beyond it the oldest are dropped and counted (default 100,000). */
  maxBuffered?: number;
}

interface Bound {
  monitor: MonitorConfig;
  check: StreamedCheck<unknown>;
  keys: ReadonlySet<string>;
  /** Items of this monitor alone for its next batch (from resume). */
  pending: unknown[];
}

/** A quiet monitor's status is written at most this often. */
const STATUS_EVERY_MS = 1000;

/** A catalog for drivers built without the service (tests of other modes): no feed to listen to. */
const NO_CATALOG: StreamCatalog = {
  liquidationVenues: [],
  liquidations: () => {
    throw new Error('no liquidation feed in this driver');
  },
};

export class StreamDriver {
  private readonly bound: Bound[];
  private readonly sources = new Map<string, StreamSource<unknown>>();
  private buffer: Array<{ key: string; item: unknown }> = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private soon: NodeJS.Immediate | null = null;
  private started = false;
  private lastTick = 0;
  private readonly now: () => number;
  /** Items dropped because the buffer was full. */
  dropped = 0;
  /** When each monitor's status was last written. */
  private readonly statusAt = new Map<string, number>();

  constructor(
    monitors: readonly MonitorConfig[],
    private readonly options: StreamDriverOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.bound = monitors.map((monitor) => {
      const driver = monitor.plugin.driver;
      if (driver.kind !== 'streamed') throw new Error(`monitor "${monitor.name}" (mode ${monitor.mode}) is polled by rounds, not driven by a stream`);
      const check = withStreamLifecycle(monitor, driver.bind(monitor, options.catalog ?? NO_CATALOG) as StreamedCheck<unknown>);
      for (const source of check.streams) if (!this.sources.has(source.key)) this.sources.set(source.key, source);
      return { monitor, check, keys: new Set(check.streams.map((s) => s.key)), pending: [] };
    });
  }

  get monitors(): number {
    return this.bound.length;
  }

  /**
   * Starts listening (items are buffered from now), gives each check the history it asks
   * for, then starts committing. `lastBatchOf` says when a monitor's last batch was committed.
   */
  async start(lastBatchOf: (monitor: string) => number | null = () => null): Promise<void> {
    if (this.bound.length === 0 || this.started) return;
    this.started = true;
    for (const [key, source] of this.sources) {
      source.start({
        item: (item) => {
          this.hold({ key, item });
          this.flushSoon();
        },
        gap: (gap) => this.options.hooks?.emit('gap', gap),
      });
    }
    await this.resume(lastBatchOf);
    this.lastTick = this.now();
    this.timer = setInterval(() => void this.flush(), this.options.batchMs ?? 100);
    this.flushSoon();
  }

  /** Buffers an item; a full buffer drops the oldest, counted. */
  private hold(entry: { key: string; item: unknown }): void {
    if (this.buffer.length >= (this.options.maxBuffered ?? 100_000)) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(entry);
  }

  /** Flushes on the next turn of the event loop (one flush at a time: what arrives meanwhile waits for the next). */
  private flushSoon(): void {
    if (this.soon !== null || this.timer === null) return;
    this.soon = setImmediate(() => {
      this.soon = null;
      void this.flush();
    });
  }

  private async resume(lastBatchOf: (monitor: string) => number | null): Promise<void> {
    const now = this.now();
    for (const bound of this.bound) {
      const { check } = bound;
      const context: ResumeContext = { now, lastBatchAt: lastBatchOf(bound.monitor.name) };
      const since = check.historySince?.(context) ?? null;
      if (since === null || check.resume === undefined) continue;
      try {
        const history: unknown[] = [];
        for (const source of check.streams) history.push(...((await source.history?.(since, now)) ?? []));
        bound.pending.push(...check.resume(history, context));
      } catch (error) {
        this.options.logger.error(
          { err: error, monitor: bound.monitor.name },
          'could not read what the stream recorded before this start; the monitor starts from now',
        );
      }
    }
  }

  /** Stops the sources, then commits what they delivered. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    if (this.soon !== null) clearImmediate(this.soon);
    this.timer = null;
    this.soon = null;
    await Promise.allSettled([...this.sources.values()].map((s) => s.stop()));
    await this.flush(true);
  }

  feeds(): FeedStatus[] {
    return [...this.sources.values()].map((s) => s.status());
  }

  /** Commits what arrived since the last flush (one flush at a time); `force` also ticks. */
  flush(force = false): Promise<void> {
    if (this.flushing !== null) return this.flushing;
    const at = this.now();
    const tick = force || at - this.lastTick >= (this.options.tickMs ?? 250);
    const pending = this.bound.some((b) => b.pending.length > 0);
    if (this.buffer.length === 0 && !pending && !tick) return Promise.resolve();
    const items = this.buffer;
    this.buffer = [];
    const extras = this.bound.map((b) => b.pending.splice(0));
    if (tick) this.lastTick = at;
    this.flushing = this.commit(at, items, extras, tick)
      .catch((error: unknown) => {
        // Tried again with the next batch (events keep their ids, so nothing is raised twice).
        this.options.logger.error({ err: error, items: items.length }, 'could not commit a stream batch; it is tried again with the next one');
        this.buffer = items.concat(this.buffer).slice(-(this.options.maxBuffered ?? 100_000));
        this.bound.forEach((b, i) => b.pending.unshift(...extras[i]!));
      })
      .finally(() => {
        this.flushing = null;
        if (this.buffer.length > 0) this.flushSoon();
      });
    return this.flushing;
  }

  private async commit(
    at: number,
    items: ReadonlyArray<{ key: string; item: unknown }>,
    extras: ReadonlyArray<readonly unknown[]>,
    tick: boolean,
  ): Promise<void> {
    const started = this.now();
    // A monitor is evaluated when something arrived on its streams, and every monitor at a tick:
    // a batch of one venue's liquidations leaves the other monitors (and their statuses) alone.
    const batches: Array<{ at: number; items: unknown[] }> = [];
    const involved: Bound[] = [];
    this.bound.forEach((b, i) => {
      const mine = [...extras[i]!, ...items.filter((entry) => b.keys.has(entry.key)).map((entry) => entry.item)];
      if (!tick && mine.length === 0) return;
      involved.push(b);
      batches.push({ at, items: mine });
    });
    if (involved.length === 0) return;
    const monitors = involved.map((b) => b.monitor);
    const names = monitors.map((m) => m.name);
    for (let attempt = 1; attempt <= 6; attempt++) {
      const states = await this.options.store.statesInOrder(names);
      const checks = involved.map((b, i) => {
        try {
          return b.check.onBatch(states[i]!, batches[i]!);
        } catch (error) {
          return failedCheck(b.monitor.name, error);
        }
      });
      const commit = buildCommit(at, at, monitors, checks, states, this.options.route);
      // A monitor's status (its last batch, its result) is written when its check did something,
      // and otherwise at most once a second: a thousand monitors are not a thousand writes a batch.
      const busy = new Set(checks.filter((c) => c.events.length + c.states.length + c.forget.length + c.errors.length > 0).map((c) => c.monitor));
      commit.statuses = commit.statuses.filter(
        (status) => busy.has(status.monitor) || at - (this.statusAt.get(status.monitor) ?? -Infinity) >= STATUS_EVERY_MS,
      );
      try {
        const events = await this.options.store.commit(commit);
        for (const status of commit.statuses) this.statusAt.set(status.monitor, at);
        for (const check of checks) {
          for (const warning of check.warnings) this.options.logger.warn({ monitor: check.monitor }, warning);
          if (check.errors.length > 0)
            this.options.logger.error(
              { monitor: check.monitor, errors: check.errors },
              `check of monitor "${check.monitor}" failed: ${check.errors.join('; ')}`,
            );
        }
        this.options.hooks?.emit('batch', { at, items: items.length, checks, events, durationMs: this.now() - started });
        return;
      } catch (error) {
        if (!(error instanceof StaleStateError) || attempt === 6) throw error;
      }
    }
  }
}
