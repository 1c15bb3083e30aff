/**
 * @module streams/liquidations/feed — the exchanges' liquidation streams, recorded.
 *
 * One reconnecting connection per venue. Every liquidation is normalised, deduplicated and
 * buffered; a group commit writes the buffer every `commitEveryMs` (never more than 250 ms),
 * so the stream is never blocked by the disk. Every span without a connection is a gap in
 * the store — including the time the process was down: the last sign of life of each
 * connected venue is persisted every `aliveEveryMs` (at most 5 s), and the first gap after
 * a start reaches back to it. Subscribers (monitors, the live API stream) get what was
 * stored, once per liquidation.
 */
import type { Emitter } from '../../hooks.js';
import type { Logger } from '../../log/logger.js';
import type { LiquidationStore } from '../../store/liquidations.js';
import { ReconnectingStream, type ReconnectingStreamOptions } from '../reconnecting-stream.js';
import type { FeedGap, FeedStatus, StreamListener, StreamSource } from '../stream-source.js';
import type { Transport } from '../transport.js';
import { WsTransport } from '../ws-transport.js';
import type { Liquidation, LiquidationSide, Venue } from './liquidation.js';
import { normaliseFrame } from './normalise.js';
import { RecentIds } from './recent-ids.js';
import { streamUrlOf } from './venues.js';

/** What the feed tells observers (metrics, the HTTP stream, monitors). */
export type FeedEvents = {
  liquidations: [readonly Liquidation[]];
  feedGap: [FeedGap];
};

export interface LiquidationFeedOptions {
  venues: readonly Venue[];
  store: LiquidationStore;
  logger: Logger;
  /** Seconds before a connection is replaced (make-before-break). */
  lifetimeSeconds: number;
  transport?: Transport;
  env?: NodeJS.ProcessEnv;
  now?: () => number;
  /** Group commit period (default 25 ms, so monitors see a liquidation soon after it arrives; at most 250). */
  commitEveryMs?: number;
  /** Last-sign-of-life period (default 2 s; at most 5 s). */
  aliveEveryMs?: number;
  hooks?: Emitter<FeedEvents>;
  /** Heartbeat and reconnect settings, for tests. */
  connection?: Pick<ReconnectingStreamOptions<unknown>, 'pingIntervalMs' | 'pongTimeoutMs' | 'backoff'>;
}

/** Per venue, what the stream has brought (for metrics). */
export interface VenueCounters {
  /** Frames that were liquidations, new or already seen (malformed ones: the connection's status). */
  messages: { ok: number; duplicate: number };
  liquidations: Record<LiquidationSide, number>;
  notionalUsd: Record<LiquidationSide, number>;
  gapMs: number;
}

const MAX_BUFFER = 100_000;

export class LiquidationFeed {
  private readonly streams = new Map<Venue, ReconnectingStream<Liquidation>>();
  private readonly recent = new RecentIds();
  private readonly subscribers = new Set<(rows: readonly Liquidation[]) => void>();
  private readonly counters = new Map<Venue, VenueCounters>();
  private buffer: Liquidation[] = [];
  private commitTimer: NodeJS.Timeout | null = null;
  private aliveTimer: NodeJS.Timeout | null = null;
  private committing: Promise<void> = Promise.resolve();
  /** Per venue, the persisted last sign of life from before this start (null: never ran). */
  private readonly downSince = new Map<Venue, number | null>();
  private readonly now: () => number;
  private started = false;
  /** Liquidations dropped because the buffer was full. */
  dropped = 0;
  private readonly urls: Map<Venue, string>;

  constructor(private readonly options: LiquidationFeedOptions) {
    this.now = options.now ?? Date.now;
    // Checked now, so a bad ASTER_WS_URL stops the service before it starts.
    this.urls = new Map(options.venues.map((venue) => [venue, streamUrlOf(venue, options.env)]));
    for (const venue of options.venues)
      this.counters.set(venue, { messages: { ok: 0, duplicate: 0 }, liquidations: { long: 0, short: 0 }, notionalUsd: { long: 0, short: 0 }, gapMs: 0 });
  }

  get venues(): readonly Venue[] {
    return this.options.venues;
  }

  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const venue of this.options.venues) this.downSince.set(venue, await this.options.store.lastAlive(venue));
    const transport = this.options.transport ?? new WsTransport();
    for (const venue of this.options.venues) {
      const stream = new ReconnectingStream<Liquidation>({
        key: venue,
        url: this.urls.get(venue)!,
        transport,
        decode: (frame) => normaliseFrame(venue, frame),
        logger: this.options.logger,
        lifetimeMs: this.options.lifetimeSeconds * 1000,
        now: this.now,
        ...this.options.connection,
      });
      this.streams.set(venue, stream);
      stream.start(this.listenerFor(venue));
    }
    this.commitTimer = setInterval(() => void this.commit(), Math.min(250, this.options.commitEveryMs ?? 25));
    this.aliveTimer = setInterval(() => void this.markAlive(), Math.min(5000, this.options.aliveEveryMs ?? 2000));
  }

  /** Closes the connections and commits what they delivered. */
  async stop(): Promise<void> {
    if (this.commitTimer !== null) clearInterval(this.commitTimer);
    if (this.aliveTimer !== null) clearInterval(this.aliveTimer);
    this.commitTimer = this.aliveTimer = null;
    await this.markAlive();
    await Promise.allSettled([...this.streams.values()].map((s) => s.stop()));
    await this.commit();
  }

  /** Every venue's connection. */
  statuses(): Array<FeedStatus & { malformed: number }> {
    return [...this.streams.values()].map((s) => s.status());
  }

  counted(venue: Venue): VenueCounters | undefined {
    return this.counters.get(venue);
  }

  /** Liquidations as they are stored; returns the function that unsubscribes. */
  subscribe(subscriber: (rows: readonly Liquidation[]) => void): () => void {
    this.subscribers.add(subscriber);
    return () => this.subscribers.delete(subscriber);
  }

  /** The stored liquidations of one venue as a stream source, for the stream driver (monitors). */
  source(venue: Venue): StreamSource<Liquidation> {
    let unsubscribe: (() => void) | null = null;
    return {
      key: `liquidations:${venue}`,
      start: (listener) => {
        unsubscribe = this.subscribe((rows) => {
          for (const row of rows) if (row.venue === venue) listener.item(row);
        });
      },
      stop: async () => unsubscribe?.(),
      status: () => this.streams.get(venue)?.status() ?? { feed: venue, connected: false, since: this.now(), reconnects: 0, lastMessageAt: null, messages: 0 },
    };
  }

  /** Writes the buffer (one commit at a time), then tells the subscribers what was new. */
  commit(): Promise<void> {
    this.committing = this.committing.then(async () => {
      if (this.buffer.length === 0) return;
      const rows = this.buffer;
      this.buffer = [];
      let stored: Liquidation[];
      try {
        stored = await this.options.store.record(rows);
      } catch (error) {
        // Kept for the next commit (bounded): a busy database delays the record, never drops it.
        this.buffer = rows.concat(this.buffer).slice(-MAX_BUFFER);
        this.options.logger.error({ err: error, rows: rows.length }, 'could not record liquidations; retrying with the next commit');
        return;
      }
      for (const l of stored) {
        const counters = this.counters.get(l.venue)!;
        counters.liquidations[l.side]++;
        counters.notionalUsd[l.side] += l.notionalUsd;
      }
      if (stored.length === 0) return;
      this.options.hooks?.emit('liquidations', stored);
      for (const subscriber of this.subscribers) subscriber(stored);
    });
    return this.committing;
  }

  private listenerFor(venue: Venue): StreamListener<Liquidation> {
    const counters = this.counters.get(venue)!;
    return {
      item: (liquidation) => {
        if (!this.recent.admit(liquidation.id)) {
          counters.messages.duplicate++;
          return;
        }
        counters.messages.ok++;
        if (this.buffer.length >= MAX_BUFFER) {
          // The database is not keeping up: a bounded buffer drops what it cannot hold, counted and said.
          if (this.dropped++ % 10_000 === 0)
            this.options.logger.error(
              { venue, dropped: this.dropped },
              'the liquidation buffer is full (the database is not keeping up); dropping liquidations',
            );
          return;
        }
        this.buffer.push(liquidation);
      },
      gap: (gap) => {
        // The first gap after a start reaches back to the last sign of life before it: the process was down.
        const down = this.downSince.get(venue);
        this.downSince.set(venue, null);
        const start = down !== null && down !== undefined && down < gap.start ? down : gap.start;
        const recorded = { venue, start, end: gap.end };
        this.counters.get(venue)!.gapMs += recorded.end - recorded.start;
        this.options.hooks?.emit('feedGap', { feed: venue, start, end: gap.end });
        this.options.store.recordGap(recorded).catch((error: unknown) => this.options.logger.error({ err: error, venue }, 'could not record a feed gap'));
      },
    };
  }

  private async markAlive(): Promise<void> {
    const now = this.now();
    for (const [venue, stream] of this.streams) {
      if (!stream.status().connected) continue;
      try {
        await this.options.store.markAlive(venue, now);
      } catch (error) {
        this.options.logger.error({ err: error, venue }, 'could not record the feed’s last sign of life');
      }
    }
  }
}
