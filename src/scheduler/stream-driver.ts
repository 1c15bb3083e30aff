/**
 * @module scheduler/stream-driver — pushed modes: what streams deliver, micro-batched into commits.
 *
 * Items are buffered as they arrive (the stream is never blocked by the disk) and handed
 * to each monitor's check every `batchMs`, and at least every `tickMs` even when nothing
 * arrived (a rolling window that drains must re-arm). One flush is one guarded commit —
 * states, events and deliveries in one transaction — exactly the shape of a round.
 */
import type { MonitorConfig } from '../config/index.js';
import type { Emitter } from '../hooks.js';
import type { Logger } from '../log/logger.js';
import type { MonitorCheck, StreamedCheck } from '../modes/mode.js';
import { StaleStateError, type Store, type StoredEvent } from '../store/index.js';
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
  route(monitor: MonitorConfig, severity: number): string[];
  hooks?: Emitter<StreamDriverEvents>;
  now?: () => number;
  /** How often buffered items are committed (default 100 ms). */
  batchMs?: number;
  /** Longest time without evaluating a monitor (default 1 s). */
  tickMs?: number;
  /** Items held while a commit is slow; beyond it the oldest are dropped and counted (default 100,000). */
  maxBuffered?: number;
}

interface Bound {
  monitor: MonitorConfig;
  check: StreamedCheck<unknown>;
  keys: ReadonlySet<string>;
}

export class StreamDriver {
  private readonly bound: Bound[];
  private readonly sources = new Map<string, StreamSource<unknown>>();
  private buffer: Array<{ key: string; item: unknown }> = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private lastTick = 0;
  private readonly now: () => number;
  /** Items dropped because the buffer was full. */
  dropped = 0;

  constructor(
    monitors: readonly MonitorConfig[],
    private readonly options: StreamDriverOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.bound = monitors.map((monitor) => {
      const driver = monitor.plugin.driver;
      if (driver.kind !== 'streamed') throw new Error(`monitor "${monitor.name}" (mode ${monitor.mode}) is polled by rounds, not driven by a stream`);
      const check = driver.bind(monitor) as StreamedCheck<unknown>;
      for (const source of check.streams) if (!this.sources.has(source.key)) this.sources.set(source.key, source);
      return { monitor, check, keys: new Set(check.streams.map((s) => s.key)) };
    });
  }

  get monitors(): number {
    return this.bound.length;
  }

  start(): void {
    if (this.bound.length === 0 || this.timer !== null) return;
    const max = this.options.maxBuffered ?? 100_000;
    for (const [key, source] of this.sources) {
      source.start({
        item: (item) => {
          if (this.buffer.length >= max) {
            this.buffer.shift();
            this.dropped++;
          }
          this.buffer.push({ key, item });
        },
        gap: (gap) => this.options.hooks?.emit('gap', gap),
      });
    }
    this.lastTick = this.now();
    this.timer = setInterval(() => void this.flush(), this.options.batchMs ?? 100);
  }

  /** Stops the sources, then commits what they delivered. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
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
    const tick = force || at - this.lastTick >= (this.options.tickMs ?? 1000);
    if (this.buffer.length === 0 && !tick) return Promise.resolve();
    const items = this.buffer;
    this.buffer = [];
    if (tick) this.lastTick = at;
    this.flushing = this.commit(at, items)
      .catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'could not commit a stream batch; its items are lost for monitors (the feed keeps them)'),
      )
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private async commit(at: number, items: ReadonlyArray<{ key: string; item: unknown }>): Promise<void> {
    const started = this.now();
    const monitors = this.bound.map((b) => b.monitor);
    const names = monitors.map((m) => m.name);
    const batches = this.bound.map((b) => ({ at, items: items.filter((entry) => b.keys.has(entry.key)).map((entry) => entry.item) }));
    for (let attempt = 1; attempt <= 6; attempt++) {
      const states = await this.options.store.statesOfMany(names);
      const checks = this.bound.map((b, i) => {
        try {
          return b.check.onBatch(states.get(b.monitor.name)!, batches[i]!);
        } catch (error) {
          return failedCheck(b.monitor.name, error);
        }
      });
      const commit = buildCommit(at, at, monitors, checks, states, this.options.route);
      try {
        const events = await this.options.store.commit(commit);
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
